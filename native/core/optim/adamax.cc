// AdaMax, matching torch.optim.Adamax: g ← g + wd·p; m ← b1·m + (1−b1)g;
// u ← max(b2·u, |g| + eps); p ← p − (lr/bc1)·m/u.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void adamaxRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                             float* __restrict u, size_t n, float b1, float c1, float b2, float eps, float stepSize,
                             float wd) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float mi = b1 * m[i] + c1 * gi;
    float a = b2 * u[i];
    float bnew = std::fabs(gi) + eps;
    float ui = a > bnew ? a : bnew;
    m[i] = mi;
    u[i] = ui;
    p[i] = p[i] - stepSize * mi / ui;
  }
}
}  // namespace

void adamax(float* p, const float* g, float* m, float* u, size_t n, double b1, float b2, float eps, float stepSize,
            float weightDecay) {
  forRange(n, [&](size_t b, size_t e) { adamaxRange(p + b, g + b, m + b, u + b, e - b, static_cast<float>(b1),
                static_cast<float>(1.0 - b1), b2, eps, stepSize, weightDecay); });
}

}  // namespace ol::optim
