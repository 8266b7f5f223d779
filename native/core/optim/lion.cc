// Lion, matching google/automl lion/lion_pytorch.py:
//   p ← p(1 − lr·wd);  c = b1·m + (1−b1)g;  p ← p − lr·sign(c);  m ← b2·m + (1−b2)g   (sign(0) = 0)
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void lionRange(float* __restrict p, const float* __restrict g, float* __restrict m, size_t n, float lr,
                           float b1, float c1, float b2, float c2, float decay) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i], mi = m[i];
    float c = b1 * mi + c1 * gi;
    float sgn = c > 0.0f ? 1.0f : (c < 0.0f ? -1.0f : 0.0f);
    p[i] = p[i] * decay - lr * sgn;
    m[i] = b2 * mi + c2 * gi;
  }
}
}  // namespace

void lion(float* p, const float* g, float* m, size_t n, float lr, double b1, double b2, float decay) {
  forRange(n, [&](size_t b, size_t e) { lionRange(p + b, g + b, m + b, e - b, lr, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2), decay); });
}

}  // namespace ol::optim
