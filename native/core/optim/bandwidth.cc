// STREAM-style copy and triad loops: the optimizer benchmark measures this machine's memory
// bandwidth with them in the same run, on the same thread pool, to state a fraction of it.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void copyRange(float* __restrict dst, const float* __restrict src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}
OL_HOT_LOOP void triadRange(float* __restrict a, const float* __restrict b, const float* __restrict c, size_t n,
                            float s) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}
}  // namespace

void streamCopy(float* dst, const float* src, size_t n) {
  forRange(n, [&](size_t b, size_t e) { copyRange(dst + b, src + b, e - b); });
}
void streamTriad(float* a, const float* b, const float* c, size_t n, float s) {
  forRange(n, [&](size_t lo, size_t hi) { triadRange(a + lo, b + lo, c + lo, hi - lo, s); });
}

}  // namespace ol::optim
