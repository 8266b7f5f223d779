// Gravity, matching dariush-bahrami/gravity.optimizer gravity/optimizers.py (Keras), per segment:
//   M = 1/max|g|;  ζ = g/(1 + (g/M)²);  V ← β̂·V + (1−β̂)·ζ;  p ← p − lr·V
// β̂ = (β·t + 1)/(t + 2) with t counted from 0 (Keras iterations), computed by the caller.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/optim/kernel_util.h"
#include "core/optim/optim.h"
#include "core/simd.h"

namespace ol::optim {
namespace {
OL_HOT_LOOP float maxAbsRange(const float* __restrict g, size_t n) {
  float m = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    float a = std::fabs(g[i]);
    m = a > m ? a : m;
  }
  return m;
}

OL_HOT_LOOP void gravityRange(float* __restrict p, const float* __restrict g, float* __restrict vel, size_t n,
                              float lr, float bh, float c, float invMax) {
  for (size_t i = 0; i < n; ++i) {
    float gi = g[i];
    float r = gi / invMax;
    float zeta = gi / (1.0f + r * r);
    float vi = bh * vel[i] + c * zeta;
    vel[i] = vi;
    p[i] = p[i] - lr * vi;
  }
}

// max is order-independent, so any split gives the same value.
float maxAbs(const float* g, size_t n) {
  size_t blocks = (n + kReduceBlock - 1) / kReduceBlock;
  std::vector<float> partial(blocks, 0.0f);
  parallelFor(blocks, 8, [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) {
      size_t begin = b * kReduceBlock;
      partial[b] = maxAbsRange(g + begin, std::min(kReduceBlock, n - begin));
    }
  });
  float m = 0.0f;
  for (float x : partial) m = std::max(m, x);
  return m;
}
}  // namespace

void gravity(float* p, const float* g, float* vel, const uint32_t* segments, size_t numSegments, size_t n, float lr,
             double betaHat) {
  (void)n;
  for (size_t s = 0; s < numSegments; ++s) {
    size_t off = segments[2 * s], len = segments[2 * s + 1];
    float invMax = 1.0f / maxAbs(g + off, len);  // Inf for an all-zero gradient: ζ = g = 0
    forRange(len, [&](size_t b, size_t e) { gravityRange(p + off + b, g + off + b, vel + off + b, e - b, lr,
                                                 static_cast<float>(betaHat), static_cast<float>(1.0 - betaHat), invMax); });
  }
}

}  // namespace ol::optim
