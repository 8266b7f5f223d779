#include "core/nn/activation.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/simd.h"

// Fused multiply-adds in the elementwise formulas (the project builds with -ffp-contract=off):
// every element runs the same expression, so results still do not depend on position or split.
#pragma GCC optimize("fp-contract=fast")

#include "core/nn/tanh_rational.h"

namespace ol::nn {
namespace {

// exp(x) for float, vectorizable: x = n ln2 + r with |r| <= ln2/2, a degree-7 polynomial for
// exp(r), then 2^n through the exponent bits. Relative error about 2 ulp; clamps to [-87, 88].
inline float fastExp(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  const float kMagic = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  float t = x * 1.44269504088896341f + kMagic;
  float n = t - kMagic;
  float r = x - n * 0.693145751953125f;  // ln2 split in two for an exact product
  r = r - n * 1.428606765330187e-06f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // n sits in the low mantissa bits of t (defined for NaN too, which then propagates through p).
  uint32_t tb;
  std::memcpy(&tb, &t, 4);
  uint32_t bits = (tb - 0x4B400000u + 127u) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return p * scale;
}

inline float fastTanh(float x) { return tanhRational(x); }

inline float fastSigmoid(float x) { return 1.0f / (1.0f + fastExp(-x)); }

constexpr float kGeluC = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluK = 0.044715f;

inline float gelu(float z) {
  float u = kGeluC * (z + kGeluK * z * z * z);
  return 0.5f * z * (1.0f + fastTanh(u));
}
// g'(z) and g''(z) of the tanh approximation.
inline void geluDerivs(float z, float& d1, float& d2) {
  float u = kGeluC * (z + kGeluK * z * z * z);
  float t = fastTanh(u);
  float s = 1.0f - t * t;
  float du = kGeluC * (1.0f + 3.0f * kGeluK * z * z);
  float ddu = kGeluC * 6.0f * kGeluK * z;
  d1 = 0.5f * (1.0f + t) + 0.5f * z * s * du;
  d2 = s * (du + 0.5f * z * (ddu - 2.0f * t * du * du));
}

inline float softplus(float z) {
  // max(z, 0) + log1p(exp(-|z|)): no overflow for large |z|.
  float az = z < 0 ? -z : z;
  return (z > 0 ? z : 0.0f) + std::log1p(std::exp(-az));
}

template <Activation F>
inline float act(float z) {
  if constexpr (F == Activation::Identity) return z;
  if constexpr (F == Activation::Tanh) return fastTanh(z);
  if constexpr (F == Activation::Relu) return z < 0 ? 0.0f : z;  // NaN propagates
  if constexpr (F == Activation::LeakyRelu) return z > 0 ? z : kLeakySlope * z;
  if constexpr (F == Activation::Gelu) return gelu(z);
  if constexpr (F == Activation::Sigmoid) return fastSigmoid(z);
  if constexpr (F == Activation::Softplus) return softplus(z);
  return z;
}

// First and second derivative at z (a = f(z) given).
template <Activation F>
inline void derivs(float z, float a, float& d1, float& d2) {
  if constexpr (F == Activation::Identity) {
    d1 = 1.0f, d2 = 0.0f;
  } else if constexpr (F == Activation::Tanh) {
    d1 = 1.0f - a * a, d2 = -2.0f * a * d1;
  } else if constexpr (F == Activation::Relu) {
    d1 = z > 0 ? 1.0f : 0.0f, d2 = 0.0f;
  } else if constexpr (F == Activation::LeakyRelu) {
    d1 = z > 0 ? 1.0f : kLeakySlope, d2 = 0.0f;
  } else if constexpr (F == Activation::Gelu) {
    geluDerivs(z, d1, d2);
  } else if constexpr (F == Activation::Sigmoid) {
    d1 = a * (1.0f - a), d2 = d1 * (1.0f - 2.0f * a);
  } else {  // Softplus: f' = sigmoid(z)
    float s = fastSigmoid(z);
    d1 = s, d2 = s * (1.0f - s);
  }
}

template <Activation F>
OL_HOT_LOOP void activateT(const float* z, float* a, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = act<F>(z[i]);
}
template <Activation F>
OL_HOT_LOOP void scaleT(const float* __restrict z, const float* __restrict a, const float* __restrict in,
                        float* __restrict out, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float d1, d2;
    derivs<F>(z[i], a[i], d1, d2);
    out[i] = d1 * in[i];
  }
}
template <Activation F>
OL_HOT_LOOP void rBackwardT(const float* __restrict z, const float* __restrict a, const float* __restrict zdot,
                            const float* __restrict da, const float* __restrict rda, float* __restrict dz,
                            float* __restrict rdz, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float d1, d2;
    derivs<F>(z[i], a[i], d1, d2);
    dz[i] = d1 * da[i];
    rdz[i] = d2 * zdot[i] * da[i] + d1 * rda[i];
  }
}

template <template <Activation> class Op, class... Args>
void dispatch(Activation f, Args... args) {
  switch (f) {
    case Activation::Identity: Op<Activation::Identity>::run(args...); break;
    case Activation::Tanh: Op<Activation::Tanh>::run(args...); break;
    case Activation::Relu: Op<Activation::Relu>::run(args...); break;
    case Activation::LeakyRelu: Op<Activation::LeakyRelu>::run(args...); break;
    case Activation::Gelu: Op<Activation::Gelu>::run(args...); break;
    case Activation::Sigmoid: Op<Activation::Sigmoid>::run(args...); break;
    case Activation::Softplus: Op<Activation::Softplus>::run(args...); break;
  }
}
template <Activation F>
struct ActivateOp {
  static void run(const float* z, float* a, size_t n) { activateT<F>(z, a, n); }
};
template <Activation F>
struct ScaleOp {
  static void run(const float* z, const float* a, const float* in, float* out, size_t n) {
    scaleT<F>(z, a, in, out, n);
  }
};
template <Activation F>
struct RBackwardOp {
  static void run(const float* z, const float* a, const float* zdot, const float* da, const float* rda, float* dz,
                  float* rdz, size_t n) {
    rBackwardT<F>(z, a, zdot, da, rda, dz, rdz, n);
  }
};

}  // namespace

void activate(Activation f, const float* z, float* a, size_t n) {
  if (f == Activation::Identity) {
    if (a != z) std::memcpy(a, z, n * sizeof(float));
    return;
  }
  dispatch<ActivateOp>(f, z, a, n);
}
void activationScale(Activation f, const float* z, const float* a, const float* in, float* out, size_t n) {
  dispatch<ScaleOp>(f, z, a, in, out, n);
}
void activationRBackward(Activation f, const float* z, const float* a, const float* zdot, const float* da,
                         const float* rda, float* dz, float* rdz, size_t n) {
  dispatch<RBackwardOp>(f, z, a, zdot, da, rda, dz, rdz, n);
}

}  // namespace ol::nn
