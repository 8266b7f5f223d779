// SGD, momentum and Nesterov, matching torch.optim.SGD: d = g + wd·p; with momentum
// buf = d on the first step, else μ·buf + (1 − dampening)·d; Nesterov steps along d + μ·buf.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void sgdRange(float* __restrict p, const float* __restrict g, size_t n, float lr, float wd) {
  for (size_t i = 0; i < n; ++i) p[i] = p[i] - lr * (g[i] + wd * p[i]);
}

template <bool kNesterov, bool kFirst>
OL_HOT_LOOP void momentumRange(float* __restrict p, const float* __restrict g, float* __restrict buf, size_t n,
                               float lr, float mu, float keep, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float d = g[i] + wd * p[i];
    float b = kFirst ? d : mu * buf[i] + keep * d;
    buf[i] = b;
    float step = kNesterov ? d + mu * b : b;
    p[i] = p[i] - lr * step;
  }
}
}  // namespace

void sgd(float* p, const float* g, size_t n, float lr, float weightDecay) {
  forRange(n, [&](size_t b, size_t e) { sgdRange(p + b, g + b, e - b, lr, weightDecay); });
}

void sgdMomentum(float* p, const float* g, float* buf, size_t n, float lr, double momentum, double dampening,
                 float weightDecay, bool nesterov, bool first) {
  forRange(n, [&](size_t b, size_t e) {
    auto fn = nesterov ? (first ? momentumRange<true, true> : momentumRange<true, false>)
                       : (first ? momentumRange<false, true> : momentumRange<false, false>);
    fn(p + b, g + b, buf + b, e - b, lr, static_cast<float>(momentum), static_cast<float>(1.0 - dampening),
       weightDecay);
  });
}

}  // namespace ol::optim
