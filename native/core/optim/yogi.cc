// Yogi, matching optax.scale_by_yogi (used by "Adaptive Federated Optimization"):
//   m ← b1·m + (1−b1)g;  v ← v − (1−b2)·sign(v − g²)·g²;  p ← p − lr·(m/bc1)/(sqrt(v/bc2) + eps)
// (m and v start at initialAccumulatorValue, set by the caller).
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void yogiRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                           float* __restrict v, size_t n, float b1, float c1, float b2, float c2, float eps,
                           float stepSize, float invBc2) {
  (void)b2;
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    float g2 = gi * gi;
    float vo = v[i];
    float diff = vo - g2;
    float sgn = diff > 0.0f ? 1.0f : (diff < 0.0f ? -1.0f : 0.0f);
    float vi = vo - c2 * sgn * g2;
    float mi = b1 * m[i] + c1 * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] - stepSize * mi / (std::sqrt(vi * invBc2) + eps);
  }
}
}  // namespace

void yogi(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float stepSize,
          float invBc2) {
  forRange(n, [&](size_t b, size_t e) { yogiRange(p + b, g + b, m + b, v + b, e - b, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2),
         eps, stepSize, invBc2); });
}

}  // namespace ol::optim
