// Elementwise gradient clipping to [lo, hi] (optax.clip); NaN passes through unchanged.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP void clipRange(float* __restrict g, size_t n, float lo, float hi) {
  for (size_t i = 0; i < n; ++i) {
    float x = g[i];
    x = x < lo ? lo : x;
    g[i] = x > hi ? hi : x;
  }
}
}  // namespace

void clipByValue(float* g, size_t n, float lo, float hi) {
  forRange(n, [&](size_t b, size_t e) { clipRange(g + b, e - b, lo, hi); });
}

}  // namespace ol::optim
