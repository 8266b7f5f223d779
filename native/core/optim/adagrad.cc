// AdaGrad, matching torch.optim.Adagrad: g ← g + wd·p; s ← s + g²; p ← p − clr·g/(sqrt(s) + eps),
// with clr = lr / (1 + (t−1)·lrDecay) computed by the caller.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void adagradRange(float* __restrict p, const float* __restrict g, float* __restrict sum, size_t n,
                              float lr, float eps, float wd) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i] + wd * p[i];
    float si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] = p[i] - lr * gi / (std::sqrt(si) + eps);
  }
}
}  // namespace

void adagrad(float* p, const float* g, float* sum, size_t n, float lr, float eps, float weightDecay) {
  forRange(n, [&](size_t b, size_t e) { adagradRange(p + b, g + b, sum + b, e - b, lr, eps, weightDecay); });
}

}  // namespace ol::optim
