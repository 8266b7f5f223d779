// AdaDelta, matching torch.optim.Adadelta: g ← g + wd·p; v ← ρv + (1−ρ)g²;
// δ = sqrt(u + eps)/sqrt(v + eps)·g; u ← ρu + (1−ρ)δ²; p ← p − lr·δ.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void adadeltaRange(float* __restrict p, const float* __restrict g, float* __restrict sq,
                               float* __restrict acc, size_t n, float lr, float rho, float c, float eps, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float vi = rho * sq[i] + c * (gi * gi);
    float d = std::sqrt(acc[i] + eps) / std::sqrt(vi + eps) * gi;
    sq[i] = vi;
    acc[i] = rho * acc[i] + c * (d * d);
    p[i] = p[i] - lr * d;
  }
}
}  // namespace

void adadelta(float* p, const float* g, float* sqAvg, float* accDelta, size_t n, float lr, double rho, float eps,
              float weightDecay) {
  forRange(n, [&](size_t b, size_t e) {
    adadeltaRange(p + b, g + b, sqAvg + b, accDelta + b, e - b, lr, static_cast<float>(rho), static_cast<float>(1.0 - rho), eps,
                  weightDecay);
  });
}

}  // namespace ol::optim
