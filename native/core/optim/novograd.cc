// NovoGrad with layer-wise second moments, matching optax.scale_by_novograd (eps outside the
// sqrt; the first step sets ν = ‖g‖² and m = ĝ), one scalar ν per ParamLayout segment:
//   ν ← b2·ν + (1−b2)·‖g_seg‖²;  m ← b1·m + g/(sqrt(ν) + eps) + wd·p;  p ← p − lr·m
// Two passes: the segment norm (deterministic blocks, in double), then the fused update.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"
#include "core/vec/vec.h"

namespace ol::optim {
namespace {
template <bool kFirst>
OL_HOT_LOOP void novogradRange(float* __restrict p, const float* __restrict g, float* __restrict m, size_t n,
                               float lr, float b1, float denom, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float u = g[i] / denom + wd * p[i];
    float mi = kFirst ? u : b1 * m[i] + u;
    m[i] = mi;
    p[i] = p[i] - lr * mi;
  }
}
}  // namespace

void novograd(float* p, const float* g, float* m, double* nu, const uint32_t* segments, size_t numSegments,
              size_t n, float lr, float b1, double b2, float eps, float weightDecay, bool first) {
  (void)n;
  for (size_t s = 0; s < numSegments; ++s) {
    size_t off = segments[2 * s], len = segments[2 * s + 1];
    double sq = vec::sumSquares(g + off, len);
    nu[s] = first ? sq : b2 * nu[s] + (1.0 - b2) * sq;
    auto denom = static_cast<float>(std::sqrt(nu[s])) + eps;
    auto fn = first ? novogradRange<true> : novogradRange<false>;
    forRange(len, [&](size_t b, size_t e) { fn(p + off + b, g + off + b, m + off + b, e - b, lr, b1, denom, weightDecay); });
  }
}

}  // namespace ol::optim
