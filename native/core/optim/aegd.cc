// AEGD (adaptive gradient descent with energy), matching txping/AEGD aegd.py, which adds the
// coupled weight decay after the energy scaling:
//   v = g/(2·sqrt(f + c)) + wd·p;  r ← r/(1 + 2·lr·v²);  p ← p − 2·lr·r·v
// gradScale = 1/(2·sqrt(f + c)) from the loss f of this step; r starts at sqrt(f_0 + c).
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void aegdRange(float* __restrict p, const float* __restrict g, float* __restrict r, size_t n, float lr,
                           float scale, float wd) {
  const float twoLr = 2.0f * lr;
  for (size_t i = 0; i < n; ++i) {
    float v = g[i] * scale + wd * p[i];
    float ri = r[i] / (1.0f + twoLr * (v * v));
    r[i] = ri;
    p[i] = p[i] - twoLr * ri * v;
  }
}
}  // namespace

void aegd(float* p, const float* g, float* energy, size_t n, float lr, float gradScale, float weightDecay) {
  forRange(n, [&](size_t b, size_t e) { aegdRange(p + b, g + b, energy + b, e - b, lr, gradScale, weightDecay); });
}

}  // namespace ol::optim
