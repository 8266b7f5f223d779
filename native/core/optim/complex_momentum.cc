// Complex momentum (Lorraine, Acuna, Vicol, Duvenaud, AISTATS 2022, arXiv 2102.08431), from the
// paper (no reference code located): μ ← β·μ − g with complex β, p ← p + lr·Re(μ).
// μ is two real buffers: μR' = Re β·μR − Im β·μI − g,  μI' = Re β·μI + Im β·μR.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void complexRange(float* __restrict p, const float* __restrict g, float* __restrict re,
                              float* __restrict im, size_t n, float lr, float br, float bi) {
  for (size_t i = 0; i < n; ++i) {
    float r = re[i], c = im[i];
    float nr = br * r - bi * c - g[i];
    float ni = br * c + bi * r;
    re[i] = nr;
    im[i] = ni;
    p[i] = p[i] + lr * nr;
  }
}
}  // namespace

void complexMomentum(float* p, const float* g, float* muRe, float* muIm, size_t n, float lr, float betaRe,
                     float betaIm) {
  forRange(n, [&](size_t b, size_t e) { complexRange(p + b, g + b, muRe + b, muIm + b, e - b, lr, betaRe, betaIm); });
}

}  // namespace ol::optim
