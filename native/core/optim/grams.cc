// Grams (Cao, Li, Song, arXiv 2412.17107), written from the paper's formula (no official code;
// pytorch_optimizer's grams.py divides by bc2^{1/4} instead of bc2^{1/2} and is not followed):
//   m, v as Adam;  u = (m/bc1)/(sqrt(v/bc2) + eps);  p ← p(1 − lr·wd) − lr·sign(g)·|u|
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void gramsRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                            float* __restrict v, size_t n, float b1, float c1, float b2, float c2, float eps,
                            float stepSize, float invBc2Sqrt, float decay) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    float mag = std::fabs(stepSize * mi / (std::sqrt(vi) * invBc2Sqrt + eps));
    float sgn = gi > 0.0f ? 1.0f : (gi < 0.0f ? -1.0f : 0.0f);
    p[i] = p[i] * decay - sgn * mag;
  }
}
}  // namespace

void grams(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float stepSize,
           float invBc2Sqrt, float decay) {
  forRange(n, [&](size_t b, size_t e) {
    gramsRange(p + b, g + b, m + b, v + b, e - b, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2), eps,
               stepSize, invBc2Sqrt, decay);
  });
}

}  // namespace ol::optim
