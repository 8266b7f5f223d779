// Float32 sine and cosine built only from +, -, *, floor, so that the TypeScript twin
// (src/backend/js/envs/fmath.ts, every operation rounded with Math.fround) gives bit-identical
// results, and gcc can vectorize the env loops (libm's sinf does neither). Accurate to about one
// float ulp for |x| < 1e5, far more than the float32 dynamics need.
#pragma once

#include <cmath>

namespace ol::envs {

// pi/2 in three parts (Cody-Waite): k * kPio2Hi and k * kPio2Mid are exact for |k| < 2^15.
constexpr float kTwoOverPi = 0.636619772367581343f;
constexpr float kPio2Hi = 1.5703125f;
constexpr float kPio2Mid = 4.837512969970703125e-4f;
constexpr float kPio2Lo = 7.54978995489188216e-8f;
constexpr float kPi = 3.14159265358979323846f;

// Taylor coefficients; on |r| <= pi/4 the truncation error is below 2e-9.
constexpr float kS3 = -1.0f / 6.0f, kS5 = 1.0f / 120.0f, kS7 = -1.0f / 5040.0f, kS9 = 1.0f / 362880.0f;
constexpr float kC4 = 1.0f / 24.0f, kC6 = -1.0f / 720.0f, kC8 = 1.0f / 40320.0f, kC10 = -1.0f / 3628800.0f;

inline void fsincos(float x, float* s, float* c) {
  float k = std::floor(x * kTwoOverPi + 0.5f);
  float r = ((x - k * kPio2Hi) - k * kPio2Mid) - k * kPio2Lo;
  float r2 = r * r;
  float sp = r + r * r2 * (kS3 + r2 * (kS5 + r2 * (kS7 + r2 * kS9)));
  float cp = (1.0f - 0.5f * r2) + r2 * r2 * (kC4 + r2 * (kC6 + r2 * (kC8 + r2 * kC10)));
  float q = k - 4.0f * std::floor(k * 0.25f);  // quadrant 0..3, exact in float
  float sq = (q == 0.0f) ? sp : (q == 1.0f) ? cp : (q == 2.0f) ? -sp : -cp;
  float cq = (q == 0.0f) ? cp : (q == 1.0f) ? -sp : (q == 2.0f) ? -cp : sp;
  *s = sq;
  *c = cq;
}
inline float fsin(float x) {
  float s, c;
  fsincos(x, &s, &c);
  return s;
}
inline float fcos(float x) {
  float s, c;
  fsincos(x, &s, &c);
  return c;
}
inline float fclip(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

}  // namespace ol::envs
