// Shared helpers of the optimizer kernels: the parallel split and deterministic reductions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/parallel.h"

namespace ol::optim {

// Elements per task: big enough that a thread hand-off pays off on a streaming kernel.
constexpr size_t kGrain = 1 << 15;
constexpr size_t kReduceBlock = 4096;

template <class F>
void forRange(size_t n, F&& fn) {
  parallelFor(n, kGrain, fn);
}

// Sums block(begin, len) over fixed 4096-element blocks in order, so the result does not depend on
// the thread count. block returns K doubles through out[K].
template <size_t K, class BlockFn>
void reduceBlocks(size_t n, double* out, BlockFn&& block) {
  for (size_t k = 0; k < K; ++k) out[k] = 0;
  size_t blocks = (n + kReduceBlock - 1) / kReduceBlock;
  if (blocks == 0) return;
  std::vector<double> partial(blocks * K, 0.0);
  parallelFor(blocks, 8, [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) {
      size_t begin = b * kReduceBlock;
      block(begin, std::min(kReduceBlock, n - begin), &partial[b * K]);
    }
  });
  for (size_t b = 0; b < blocks; ++b)
    for (size_t k = 0; k < K; ++k) out[k] += partial[b * K + k];
}

}  // namespace ol::optim
