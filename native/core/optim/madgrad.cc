// MADGRAD, matching facebookresearch/madgrad madgrad.py (dual averaging with cube-root scaling):
//   g ← g + wd·p (coupled);  ν ← ν + λ·g²;  s ← s + λ·g;  z = x0 − s/(cbrt(ν) + eps)
//   momentum > 0: p ← momentum·p + (1 − momentum)·z;  momentum = 0: p ← z with
//   x0 = p + s_old/(cbrt(ν_old) + eps) reconstructed instead of stored.
//   decoupled: p ← p − lr·wd·p_old afterwards.   (lr here is the reference's lr + eps)
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
// Cube root of x >= 0 that vectorizes (std::cbrt is a scalar libm call and made this step 100x
// slower than the other rules): an exponent-thirds bit guess, then three Newton steps, which
// reach float precision from the guess's ~6% error. cbrt(0) = 0.
inline float cbrtNonNeg(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  bits = bits / 3 + 709921077u;
  float y;
  std::memcpy(&y, &bits, 4);
  for (int k = 0; k < 3; ++k) y = (2.0f * y + x / (y * y)) * (1.0f / 3.0f);
  return x > 0.0f ? y : 0.0f;
}

template <bool kMomentum>
OL_HOT_LOOP void madgradRange(float* __restrict p, const float* __restrict g, float* __restrict s,
                              float* __restrict nu, const float* __restrict x0, size_t n, float lamb, float eps,
                              float momentum, float ck, float couple, float decoupleStep) {
  for (size_t i = 0; i < n; ++i) {
    float pold = p[i];
    float gi = g[i] + couple * pold;
    float x0i = kMomentum ? x0[i] : pold + s[i] / (cbrtNonNeg(nu[i]) + eps);
    float ni = nu[i] + lamb * (gi * gi);
    float si = s[i] + lamb * gi;
    nu[i] = ni;
    s[i] = si;
    float z = x0i - si / (cbrtNonNeg(ni) + eps);
    float pnew = kMomentum ? pold * momentum + z * ck : z;
    p[i] = pnew - decoupleStep * pold;
  }
}
}  // namespace

void madgrad(float* p, const float* g, float* s, float* nu, float* x0, size_t n, float lr, float lamb, float eps,
             double momentum, float weightDecay, bool decoupled) {
  const auto ck = static_cast<float>(1.0 - momentum);
  const auto mom = static_cast<float>(momentum);
  const float couple = decoupled ? 0.0f : weightDecay;
  const float decoupleStep = decoupled ? lr * weightDecay : 0.0f;
  forRange(n, [&](size_t b, size_t e) {
    if (x0)
      madgradRange<true>(p + b, g + b, s + b, nu + b, x0 + b, e - b, lamb, eps, mom, ck, couple, decoupleStep);
    else
      madgradRange<false>(p + b, g + b, s + b, nu + b, nullptr, e - b, lamb, eps, mom, ck, couple, decoupleStep);
  });
}

}  // namespace ol::optim
