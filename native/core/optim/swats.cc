// SWATS Adam phase (Keskar & Socher, arXiv 1712.07628, Algorithm 1):
//   g ← g + wd·p;  m, a as Adam;  p_k = −lr·sqrt(bc2)/bc1 · m/(sqrt(a) + eps);  p ← p + p_k
// and, in the same pass, p_kᵀp_k and p_kᵀg for the switch test (fixed blocks, in double). The
// SGD phase is the momentum kernel of sgd.cc.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void swatsRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                            float* __restrict a, size_t n, float b1, float c1, float b2, float c2, float eps,
                            float stepSize, float wd, double* __restrict dots) {
  double pp = 0, pg = 0;
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float mi = b1 * m[i] + c1 * gi;
    float ai = b2 * a[i] + c2 * (gi * gi);
    m[i] = mi;
    a[i] = ai;
    float step = -stepSize * mi / (std::sqrt(ai) + eps);
    p[i] = p[i] + step;
    pp += static_cast<double>(step) * step;
    pg += static_cast<double>(step) * gi;
  }
  dots[0] = pp;
  dots[1] = pg;
}
}  // namespace

void swatsAdam(float* p, const float* g, float* m, float* a, size_t n, double b1, double b2, float eps, float stepSize,
               float weightDecay, double* dots) {
  reduceBlocks<2>(n, dots, [&](size_t b, size_t len, double* out) {
    swatsRange(p + b, g + b, m + b, a + b, len, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2), eps, stepSize,
               weightDecay, out);
  });
}

}  // namespace ol::optim
