// Lookahead synchronisation (Zhang et al. 2019; optax.lookahead): slow ← slow + α(fast − slow); fast ← slow.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void syncRange(float* __restrict fast, float* __restrict slow, size_t n, float alpha) {
  for (size_t i = 0; i < n; ++i) {
    float s = slow[i] + alpha * (fast[i] - slow[i]);
    slow[i] = s;
    fast[i] = s;
  }
}
}  // namespace

void lookaheadSync(float* fast, float* slow, size_t n, float alpha) {
  forRange(n, [&](size_t b, size_t e) { syncRange(fast + b, slow + b, e - b, alpha); });
}

}  // namespace ol::optim
