// RMSProp, matching torch.optim.RMSprop: g ← g + wd·p; v ← αv + (1−α)g²;
// centered: ḡ ← αḡ + (1−α)g, d = sqrt(v − ḡ²) + eps, else d = sqrt(v) + eps;
// momentum: buf ← μ·buf + g/d, p ← p − lr·buf; else p ← p − lr·g/d.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
template <bool kCentered, bool kMomentum>
OL_HOT_LOOP void rmspropRange(float* __restrict p, const float* __restrict g, float* __restrict sq,
                              float* __restrict ga, float* __restrict buf, size_t n, float lr, float a, float c,
                              float eps, float mu, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float vi = a * sq[i] + c * (gi * gi);
    sq[i] = vi;
    float d;
    if (kCentered) {
      float gai = a * ga[i] + c * gi;
      ga[i] = gai;
      d = std::sqrt(vi - gai * gai) + eps;
    } else {
      d = std::sqrt(vi) + eps;
    }
    if (kMomentum) {
      float b = mu * buf[i] + gi / d;
      buf[i] = b;
      p[i] = p[i] - lr * b;
    } else {
      p[i] = p[i] - lr * gi / d;
    }
  }
}
}  // namespace

void rmsprop(float* p, const float* g, float* sqAvg, float* gAvg, float* buf, size_t n, float lr, double decay,
             float eps, float momentum, float weightDecay) {
  auto fn = gAvg ? (buf ? rmspropRange<true, true> : rmspropRange<true, false>)
                 : (buf ? rmspropRange<false, true> : rmspropRange<false, false>);
  forRange(n, [&](size_t b, size_t e) {
    fn(p + b, g + b, sqAvg + b, gAvg ? gAvg + b : nullptr, buf ? buf + b : nullptr, e - b, lr, static_cast<float>(decay),
       static_cast<float>(1.0 - decay), eps, momentum, weightDecay);
  });
}

}  // namespace ol::optim
