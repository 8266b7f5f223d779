// NAdam, matching torch.optim.NAdam (momentum decay ψ; μ_t = b1(1 − 0.5·0.96^(tψ))):
//   m, v as Adam; d = sqrt(v/bc2) + eps
//   p ← p − lr(1−μ_t)/(1−Πμ_{1..t})·g/d − lr·μ_{t+1}/(1−Πμ_{1..t+1})·m/d
// gradCoef and momCoef are those two scalar factors, computed by the caller in double.
#include <cmath>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void nadamRange(float* __restrict p, const float* __restrict g, float* __restrict m,
                            float* __restrict v, size_t n, float b1, float c1, float b2, float c2, float eps,
                            float invBc2, float gradCoef, float momCoef, float wd, float decay) {
  for (size_t i = 0; i < n; ++i) {
    float pi = p[i];
    float gi = g[i] + wd * pi;
    float mi = b1 * m[i] + c1 * gi;
    float vi = b2 * v[i] + c2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    float d = std::sqrt(vi * invBc2) + eps;
    p[i] = pi * decay - gradCoef * gi / d - momCoef * mi / d;
  }
}
}  // namespace

void nadam(float* p, const float* g, float* m, float* v, size_t n, double b1, double b2, float eps, float invBc2,
           float gradCoef, float momCoef, float weightDecay, float decay) {
  forRange(n, [&](size_t b, size_t e) {
    nadamRange(p + b, g + b, m + b, v + b, e - b, static_cast<float>(b1), static_cast<float>(1.0 - b1), static_cast<float>(b2), static_cast<float>(1.0 - b2),
               eps, invBc2, gradCoef, momCoef, weightDecay, decay);
  });
}

}  // namespace ol::optim
