// The rational tanh of the activations, written once for a float or a GCC vector of floats, so
// the fused matrix-product epilogue (gemm.cc) and the elementwise pass (activation.cc) evaluate
// the very same operations per element and agree bit for bit. Include after
// `#pragma GCC optimize("fp-contract=fast")` (both users fuse the Horner steps the same way).
#pragma once

namespace ol::nn {

// v with every lane set to s (s itself for a plain float): 0 + s is exact.
template <class T>
inline __attribute__((always_inline)) T splat(float s) {
  return T{} + s;
}

// tanh as an odd rational function x P(x^2) / Q(x^2) for |x| <= 7.9053, +-1 beyond (where float
// tanh rounds to +-1), and x itself for |x| < 4e-4 (where tanh(x) rounds to x). One division, no exp,
// no branches: it vectorizes. Error within about 6 float ulps (3.9e-7 absolute) over all floats;
// NaN propagates. The js twin (activation.ts) evaluates the same formula.
template <class T>
inline __attribute__((always_inline)) T tanhRational(T x) {
  const T kClamp = splat<T>(7.90531110763549805f);
  T x2 = x * x;
  T p = splat<T>(-2.76076847742355e-16f);
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  T q = splat<T>(1.19825839466702e-06f);
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  T t = (p * x) / q;
  T ax = x < splat<T>(0.0f) ? -x : x;
  t = ax < splat<T>(4e-4f) ? x : t;
  // Beyond the clamp exactly +-1 (what the formula gives there, evaluated without fused steps).
  return x > kClamp ? splat<T>(1.0f) : (x < -kClamp ? splat<T>(-1.0f) : t);
}

}  // namespace ol::nn
