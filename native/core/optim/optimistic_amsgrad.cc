// Optimistic-AMSGrad (Wang, Li, Karimi, Li; arXiv 1903.01435, Algorithm 1), from the paper (no
// reference code). The caller predicts the next gradient (`guess`, m_{t+1}: src/optim/rules
// extrapolates it from the recent gradients, the paper's Algorithm 2):
//   θ ← b1·θ + (1−b1)g;  v ← b2·v + (1−b2)g²;  v̂ ← max(v̂, v)   (v̂ starts at eps)
//   w_{t+1/2} ← w_{t−1/2} − lr·θ_t/sqrt(v̂);   p ← w_{t+1/2} − lr·h_{t+1}/sqrt(v̂),
//   h_{t+1} = b1·θ_{t−1} + (1−b1)·m_{t+1}
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void optimisticRange(float* __restrict p, const float* __restrict g, const float* __restrict guess, float* __restrict m,
                                 float* __restrict v, float* __restrict vHat, float* __restrict wHalf, size_t n,
                                 float lr, float b1, float c1, float b2, float c2) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    float mPrev = m[i];
    float mi = b1 * mPrev + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    float vh = vHat[i] > vi ? vHat[i] : vi;
    float root = std::sqrt(vh);
    float wh = wHalf[i] - lr * mi / root;
    float h = b1 * mPrev + c1 * guess[i];
    m[i] = mi;
    v[i] = vi;
    vHat[i] = vh;
    wHalf[i] = wh;
    p[i] = wh - lr * h / root;
  }
}
}  // namespace

void optimisticAmsgrad(float* p, const float* g, const float* guess, float* m, float* v, float* vHat, float* wHalf,
                       size_t n, float lr, double b1, double b2) {
  forRange(n, [&](size_t b, size_t e) {
    optimisticRange(p + b, g + b, guess + b, m + b, v + b, vHat + b, wHalf + b, e - b, lr, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2));
  });
}

}  // namespace ol::optim
