// Grokfast-EMA gradient filter, matching ironjr/grokfast grokfast.py gradfilter_ema (out of place
// there; here the gradient buffer is a scratch copy): μ ← α·μ + (1−α)·g, with μ = g before the
// first update; g ← g + λ·μ.
#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
template <bool kFirst>
OL_HOT_LOOP void grokfastRange(float* __restrict g, float* __restrict mu, size_t n, float alpha, float c, float lamb) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    float prev = kFirst ? gi : mu[i];
    float m = prev * alpha + gi * c;
    mu[i] = m;
    g[i] = gi + m * lamb;
  }
}
}  // namespace

void grokfastEma(float* g, float* mu, size_t n, double alpha, float lamb, bool first) {
  auto fn = first ? grokfastRange<true> : grokfastRange<false>;
  forRange(n, [&](size_t b, size_t e) { fn(g + b, mu + b, e - b, static_cast<float>(alpha), static_cast<float>(1.0 - alpha), lamb); });
}

}  // namespace ol::optim
