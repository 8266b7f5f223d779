// Adam, AdamW and AMSGrad, matching torch.optim.Adam / torch.optim.AdamW:
//   g ← g + wd·p (Adam's coupled decay)   p ← p·(1 − lr·wd) (AdamW's decoupled decay)
//   m ← b1·m + (1−b1)·g;  v ← b2·v + (1−b2)·g²;  [AMSGrad: v̂ ← max(v̂, v), torch's convention]
//   p ← p − (lr/bc1) · m / (sqrt(v)/sqrt(bc2) + eps)
// One pass: reads p, g, m, v and writes p, m, v (28 bytes per parameter).
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void adamRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                           float* __restrict v, size_t n, const AdamScalars& s) {
  const float b1 = static_cast<float>(s.b1), b2 = static_cast<float>(s.b2);
  const float c1 = static_cast<float>(1.0 - s.b1), c2 = static_cast<float>(1.0 - s.b2);
  for (size_t i = 0; i < n; ++i) {
    float pi = p[i];
    float gi = g[i] + s.weightDecay * pi;
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = pi * s.decay - s.stepSize * mi / (std::sqrt(vi) * s.invBc2Sqrt + s.eps);
  }
}

OL_HOT_LOOP void amsgradRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                              float* __restrict v, float* __restrict vMax, size_t n, const AdamScalars& s) {
  const float b1 = static_cast<float>(s.b1), b2 = static_cast<float>(s.b2);
  const float c1 = static_cast<float>(1.0 - s.b1), c2 = static_cast<float>(1.0 - s.b2);
  for (size_t i = 0; i < n; ++i) {
    float pi = p[i];
    float gi = g[i] + s.weightDecay * pi;
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    float vm = vMax[i] > vi ? vMax[i] : vi;
    m[i] = mi;
    v[i] = vi;
    vMax[i] = vm;
    p[i] = pi * s.decay - s.stepSize * mi / (std::sqrt(vm) * s.invBc2Sqrt + s.eps);
  }
}

OL_HOT_LOOP void predictRange(const float* __restrict p, const float* __restrict m, const float* __restrict v,
                              float* __restrict out, size_t n, float stepSize, float invBc2Sqrt, float eps) {
  for (size_t i = 0; i < n; ++i) out[i] = p[i] - stepSize * m[i] / (std::sqrt(v[i]) * invBc2Sqrt + eps);
}
}  // namespace

void adam(float* p, const float* g, float* m, float* v, float* vMax, size_t n, const AdamScalars& s) {
  forRange(n, [&](size_t b, size_t e) {
    if (vMax)
      amsgradRange(p + b, g + b, m + b, v + b, vMax + b, e - b, s);
    else
      adamRange(p + b, g + b, m + b, v + b, e - b, s);
  });
}

void adamPredict(const float* p, const float* m, const float* v, float* out, size_t n, float stepSize,
                 float invBc2Sqrt, float eps) {
  forRange(n, [&](size_t b, size_t e) { predictRange(p + b, m + b, v + b, out + b, e - b, stepSize, invBc2Sqrt, eps); });
}

}  // namespace ol::optim
