// Acrobot-v1 (Gymnasium classic_control/acrobot.py, "book" dynamics): torque {-1, 0, +1} on the
// second joint, one RK4 step over dt = 0.2, angles wrapped to [-pi, pi], velocities clipped to
// 4pi and 9pi; terminated when -cos(t1) - cos(t1 + t2) > 1; reward -1 per step, 0 on the
// terminal step; 500 steps. State [t1, t2, dt1, dt2]; obs [cos t1, sin t1, cos t2, sin t2, dt1, dt2].
// Twin: src/backend/js/envs/acrobot.ts.
#include "core/envs/fmath.h"
#include "core/envs/ops.h"

namespace ol::envs {
namespace {
constexpr float kDt = 0.2f;
constexpr float kM1 = 1.0f, kM2 = 1.0f, kL1 = 1.0f, kLc1 = 0.5f, kLc2 = 0.5f, kI1 = 1.0f, kI2 = 1.0f;
constexpr float kG = 9.8f;
constexpr float kHalfPi = 1.57079632679489662f;
constexpr float kMaxVel1 = 12.566370614359172f;  // 4 pi
constexpr float kMaxVel2 = 28.274333882308138f;  // 9 pi

Dims dimsOf(const Config&) { return Dims{4, 6, 1, 0, 3}; }

// d/dt of [t1, t2, dt1, dt2] under torque a (Gymnasium's _dsdt, book variant).
void derivs(float a, const float* s, float* ds) {
  float t1 = s[0], t2 = s[1], dt1 = s[2], dt2 = s[3];
  float d1 = kM1 * kLc1 * kLc1 + kM2 * (kL1 * kL1 + kLc2 * kLc2 + 2.0f * kL1 * kLc2 * fcos(t2)) + kI1 + kI2;
  float d2 = kM2 * (kLc2 * kLc2 + kL1 * kLc2 * fcos(t2)) + kI2;
  float phi2 = kM2 * kLc2 * kG * fcos(t1 + t2 - kHalfPi);
  float phi1 = -kM2 * kL1 * kLc2 * dt2 * dt2 * fsin(t2) - 2.0f * kM2 * kL1 * kLc2 * dt2 * dt1 * fsin(t2) +
               (kM1 * kLc1 + kM2 * kL1) * kG * fcos(t1 - kHalfPi) + phi2;
  float ddt2 = (a + d2 / d1 * phi1 - kM2 * kL1 * kLc2 * dt1 * dt1 * fsin(t2) - phi2) /
               (kM2 * kLc2 * kLc2 + kI2 - d2 * d2 / d1);
  float ddt1 = -(d2 * ddt2 + phi1) / d1;
  ds[0] = dt1;
  ds[1] = dt2;
  ds[2] = ddt1;
  ds[3] = ddt2;
}

float wrap(float x, float lo, float hi) {
  float diff = hi - lo;
  while (x > hi) x = x - diff;
  while (x < lo) x = x + diff;
  return x;
}

void writeObs(const float* s, float* o) {
  float s1, c1, s2, c2;
  fsincos(s[0], &s1, &c1);
  fsincos(s[1], &s2, &c2);
  o[0] = c1;
  o[1] = s1;
  o[2] = c2;
  o[3] = s2;
  o[4] = s[2];
  o[5] = s[3];
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float a = static_cast<float>(act[i] - 1);
    float y0[4], k1[4], k2[4], k3[4], k4[4], y[4];
    for (int c = 0; c < 4; ++c) y0[c] = b.state[c * n + i];
    derivs(a, y0, k1);
    for (int c = 0; c < 4; ++c) y[c] = y0[c] + kDt / 2.0f * k1[c];
    derivs(a, y, k2);
    for (int c = 0; c < 4; ++c) y[c] = y0[c] + kDt / 2.0f * k2[c];
    derivs(a, y, k3);
    for (int c = 0; c < 4; ++c) y[c] = y0[c] + kDt * k3[c];
    derivs(a, y, k4);
    for (int c = 0; c < 4; ++c) y[c] = y0[c] + kDt / 6.0f * (k1[c] + 2.0f * k2[c] + 2.0f * k3[c] + k4[c]);
    y[0] = wrap(y[0], -kPi, kPi);
    y[1] = wrap(y[1], -kPi, kPi);
    y[2] = fclip(y[2], -kMaxVel1, kMaxVel1);
    y[3] = fclip(y[3], -kMaxVel2, kMaxVel2);
    for (int c = 0; c < 4; ++c) b.state[c * n + i] = y[c];
    writeObs(y, out.obs + 6 * i);
    writeObs(y, out.finalObs + 6 * i);
    bool done = -fcos(y[0]) - fcos(y[1] + y[0]) > 1.0f;
    endStep(cfg, b, out, i, done, done ? 0.0f : -1.0f);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  float s[4];
  for (size_t c = 0; c < 4; ++c) {
    s[c] = uniformIn(blk.v[c], -0.1f, 0.1f);
    b.state[c * b.n + i] = s[c];
  }
  writeObs(s, obs + 6 * i);
}
}  // namespace

const EnvOps acrobotOps{dimsOf, step, reset};

}  // namespace ol::envs
