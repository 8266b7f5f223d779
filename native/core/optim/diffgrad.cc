// diffGrad, matching shivram1987/diffGrad diffGrad_v2.py (stores a copy of the gradient):
//   g ← g + wd·p;  m, v as Adam;  ξ = sigmoid(|g_prev − g|);  g_prev ← g
//   p ← p − lr·sqrt(bc2)/bc1 · ξ·m/(sqrt(v) + eps)      (eps on the uncorrected sqrt(v))
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void diffgradRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                               float* __restrict v, float* __restrict gPrev, size_t n, float b1, float c1, float b2,
                               float c2, float eps, float stepSize, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    float xi = 1.0f / (1.0f + std::exp(-std::fabs(gPrev[i] - gi)));
    m[i] = mi;
    v[i] = vi;
    gPrev[i] = gi;
    p[i] = p[i] - stepSize * (xi * mi) / (std::sqrt(vi) + eps);
  }
}
}  // namespace

void diffgrad(float* p, const float* g, float* m, float* v, float* gPrev, size_t n, double b1, double b2, float eps,
              float stepSize, float weightDecay) {
  forRange(n, [&](size_t b, size_t e) {
    diffgradRange(p + b, g + b, m + b, v + b, gPrev + b, e - b, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2),
                  eps, stepSize, weightDecay);
  });
}

}  // namespace ol::optim
