// MountainCar-v0 (Gymnasium classic_control/mountain_car.py): actions {0: left, 1: none,
// 2: right}; v += (a - 1) * 0.001 - 0.0025 cos(3x), |v| <= 0.07; x in [-1.2, 0.6] with an
// inelastic left wall; terminated when x >= 0.5 and v >= 0; reward -1; 200 steps.
// State = obs = [x, v]. Twin: src/backend/js/envs/mountain_car.ts.
#include "core/envs/env.h"
#include "core/envs/fmath.h"
#include "core/envs/mountain_car.h"

namespace ol::envs {
namespace {
constexpr float kForce = 0.001f;
constexpr float kGoal = 0.5f;

Dims dimsOf(const Config&) { return Dims{2, 2, 1, 0, 3}; }

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i], v = b.state[n + i];
    v = v + static_cast<float>(act[i] - 1) * kForce + fcos(3.0f * x) * (-kCarGravity);
    mountainCarMove(&x, &v);
    b.state[i] = x;
    b.state[n + i] = v;
    out.obs[2 * i] = out.finalObs[2 * i] = x;
    out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = v;
    uint8_t done = (x >= kGoal && v >= 0.0f) ? 1 : 0;
    int32_t e = b.elapsed[i] + 1;
    b.elapsed[i] = e;
    out.terminated[i] = done;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = -1.0f;
  }
}
}  // namespace

void mountainCarReset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  float x = uniformIn(blk.v[0], -0.6f, -0.4f);
  b.state[i] = x;
  b.state[b.n + i] = 0.0f;
  obs[2 * i] = x;
  obs[2 * i + 1] = 0.0f;
}

void mountainCarMove(float* x, float* v) {
  float vv = fclip(*v, -kCarMaxSpeed, kCarMaxSpeed);
  float xx = fclip(*x + vv, kCarMinPosition, kCarMaxPosition);
  if (xx == kCarMinPosition && vv < 0.0f) vv = 0.0f;
  *x = xx;
  *v = vv;
}

const EnvOps& mountainCarOps() {
  static const EnvOps op{dimsOf, step, mountainCarReset, nullptr};
  return op;
}

}  // namespace ol::envs
