#include "core/vec/vec.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::vec {
namespace {
constexpr size_t kElementwiseGrain = 1 << 15;
constexpr size_t kReduceBlock = 4096;

OL_HOT_LOOP void axpyRange(float a, const float* __restrict x, float* __restrict y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += a * x[i];
}
OL_HOT_LOOP void scaleRange(float a, float* __restrict x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] *= a;
}
// Eight double lanes: vectorizes without reassociation and keeps float32 rounding out of the sum.
OL_HOT_LOOP double dotBlock(const float* __restrict x, const float* __restrict y, size_t n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; ++l) acc[l] += static_cast<double>(x[i + l]) * static_cast<double>(y[i + l]);
  double s = 0;
  for (; i < n; ++i) s += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  return s + ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
OL_HOT_LOOP double sumBlock(const float* __restrict x, size_t n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int l = 0; l < 8; ++l) acc[l] += static_cast<double>(x[i + l]);
  double s = 0;
  for (; i < n; ++i) s += static_cast<double>(x[i]);
  return s + ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}
OL_HOT_LOOP bool finiteRange(const float* __restrict x, size_t n) {
  // Inf/NaN have all exponent bits set; OR-ing a flag keeps the loop branch-free.
  uint32_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, x + i, 4);
    bad |= static_cast<uint32_t>((bits & 0x7F800000u) == 0x7F800000u);
  }
  return bad == 0;
}

template <class BlockFn>
double reduceBlocks(size_t n, BlockFn&& block) {
  size_t blocks = (n + kReduceBlock - 1) / kReduceBlock;
  if (blocks <= 1) return n == 0 ? 0.0 : block(0, n);
  std::vector<double> partial(blocks);
  parallelFor(blocks, 16, [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) {
      size_t begin = b * kReduceBlock;
      size_t len = std::min(kReduceBlock, n - begin);
      partial[b] = block(begin, len);
    }
  });
  double s = 0;
  for (double p : partial) s += p;
  return s;
}
}  // namespace

void axpy(float a, const float* x, float* y, size_t n) {
  parallelFor(n, kElementwiseGrain, [&](size_t b, size_t e) { axpyRange(a, x + b, y + b, e - b); });
}
void scale(float a, float* x, size_t n) {
  parallelFor(n, kElementwiseGrain, [&](size_t b, size_t e) { scaleRange(a, x + b, e - b); });
}
double dot(const float* x, const float* y, size_t n) {
  return reduceBlocks(n, [&](size_t b, size_t len) { return dotBlock(x + b, y + b, len); });
}
double sum(const float* x, size_t n) {
  return reduceBlocks(n, [&](size_t b, size_t len) { return sumBlock(x + b, len); });
}
double sumSquares(const float* x, size_t n) {
  return reduceBlocks(n, [&](size_t b, size_t len) { return dotBlock(x + b, x + b, len); });
}
bool allFinite(const float* x, size_t n) {
  return reduceBlocks(n, [&](size_t b, size_t len) { return finiteRange(x + b, len) ? 0.0 : 1.0; }) == 0.0;
}

}  // namespace ol::vec
