// Pendulum-v1 (Gymnasium classic_control/pendulum.py): u = clip(a, -2, 2); reward
// -(norm(th)^2 + 0.1 thdot^2 + 0.001 u^2) on the pre-step state; semi-implicit Euler with
// g = 10, m = l = 1, dt = 0.05, |thdot| <= 8; never terminates; 200 steps.
// State [th, thdot]; obs [cos th, sin th, thdot]. Twin: src/backend/js/envs/pendulum.ts.
#include "core/envs/fmath.h"
#include "core/envs/ops.h"
#include "core/simd.h"

namespace ol::envs {
namespace {
constexpr float kMaxSpeed = 8.0f;
constexpr float kMaxTorque = 2.0f;
constexpr float kDt = 0.05f;
constexpr float kG = 10.0f;
constexpr float kM = 1.0f;
constexpr float kL = 1.0f;
constexpr float kTwoPi = 6.28318530717958648f;

Dims dimsOf(const Config&) { return Dims{2, 3, 1, 0, 0}; }

// ((x + pi) mod 2pi) - pi with a floored modulo, as Gymnasium's angle_normalize.
inline float angleNormalize(float x) {
  float t = x + kPi;
  return (t - kTwoPi * std::floor(t / kTwoPi)) - kPi;
}

OL_HOT_LOOP void stepRows(int32_t maxSteps, size_t n, float* __restrict state, int32_t* __restrict elapsed,
                          const float* __restrict act, float* __restrict obs, float* __restrict reward,
                          uint8_t* __restrict term, uint8_t* __restrict trunc, float* __restrict fin, size_t begin,
                          size_t end) {
  float* __restrict ths = state;
  float* __restrict thds = state + n;
#pragma GCC ivdep
  for (size_t i = begin; i < end; ++i) {
    float th = ths[i], thd = thds[i];
    float u = fclip(act[i], -kMaxTorque, kMaxTorque);
    float nth = angleNormalize(th);
    float cost = nth * nth + 0.1f * (thd * thd) + 0.001f * (u * u);
    float s, c;
    fsincos(th, &s, &c);
    float nthd = thd + (3.0f * kG / (2.0f * kL) * s + 3.0f / (kM * kL * kL) * u) * kDt;
    nthd = fclip(nthd, -kMaxSpeed, kMaxSpeed);
    float newTh = th + nthd * kDt;
    ths[i] = newTh;
    thds[i] = nthd;
    fsincos(newTh, &s, &c);
    obs[3 * i] = fin[3 * i] = c;
    obs[3 * i + 1] = fin[3 * i + 1] = s;
    obs[3 * i + 2] = fin[3 * i + 2] = nthd;
    int32_t e = elapsed[i] + 1;
    elapsed[i] = e;
    term[i] = 0;
    trunc[i] = e >= maxSteps ? 1 : 0;
    reward[i] = -cost;
  }
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  stepRows(cfg.maxSteps, b.n, b.state, b.elapsed, static_cast<const float*>(actions), out.obs, out.reward,
           out.terminated, out.truncated, out.finalObs, begin, end);
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  float th = uniformIn(blk.v[0], -kPi, kPi);
  float thd = uniformIn(blk.v[1], -1.0f, 1.0f);
  b.state[i] = th;
  b.state[b.n + i] = thd;
  float s, c;
  fsincos(th, &s, &c);
  obs[3 * i] = c;
  obs[3 * i + 1] = s;
  obs[3 * i + 2] = thd;
}
}  // namespace

const EnvOps pendulumOps{dimsOf, step, reset};

}  // namespace ol::envs
