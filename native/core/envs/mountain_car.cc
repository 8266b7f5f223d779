// MountainCar-v0 and MountainCarContinuous-v0 (Gymnasium classic_control/mountain_car.py and
// continuous_mountain_car.py): one track, v += push - 0.0025 cos(3x), |v| <= 0.07, x in
// [-1.2, 0.6] with an inelastic left wall, terminated when x >= goal and v >= 0; state = obs = [x, v],
// x0 ~ U(-0.6, -0.4), v0 = 0. They differ in the push, the goal and the reward:
//   MountainCar-v0: actions {0: left, 1: none, 2: right}, push (a - 1) * 0.001, goal 0.5,
//     reward -1, 200 steps.
//   MountainCarContinuous-v0: push clip(a, -1, 1) * 0.0015, goal 0.45, reward 100 on reaching the
//     goal minus 0.1 a^2 (the unclipped action, as in Gymnasium), 999 steps.
// Twin: src/backend/js/envs/mountain_car.ts.
#include "core/envs/fmath.h"
#include "core/envs/ops.h"

namespace ol::envs {
namespace {
constexpr float kMinPosition = -1.2f;
constexpr float kMaxPosition = 0.6f;
constexpr float kMaxSpeed = 0.07f;
constexpr float kGravity = 0.0025f;
constexpr float kForce = 0.001f;   // MountainCar-v0
constexpr float kPower = 0.0015f;  // MountainCarContinuous-v0

Dims discreteDims(const Config&) { return Dims{2, 2, 1, 0, 3}; }
Dims continuousDims(const Config&) { return Dims{2, 2, 1, 0, 0}; }

template <bool kContinuous>
void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  constexpr float kGoal = kContinuous ? 0.45f : 0.5f;
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i], v = b.state[n + i];
    float a, push;
    if constexpr (kContinuous) {
      a = static_cast<const float*>(actions)[i];
      push = fclip(a, -1.0f, 1.0f) * kPower;
    } else {
      a = static_cast<float>(static_cast<const int32_t*>(actions)[i] - 1);
      push = a * kForce;
    }
    v = fclip(v + push - kGravity * fcos(3.0f * x), -kMaxSpeed, kMaxSpeed);
    x = fclip(x + v, kMinPosition, kMaxPosition);
    if (x == kMinPosition && v < 0.0f) v = 0.0f;
    b.state[i] = x;
    b.state[n + i] = v;
    const float o[2] = {x, v};
    writeObsRow(out, i, 2, o);
    bool done = x >= kGoal && v >= 0.0f;
    endStep(cfg, b, out, i, done, kContinuous ? (done ? 100.0f : 0.0f) - a * a * 0.1f : -1.0f);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  rng::Block blk = drawBlock(b.rng + 4 * i);
  float x = uniformIn(blk.v[0], -0.6f, -0.4f);
  b.state[i] = x;
  b.state[b.n + i] = 0.0f;
  obs[2 * i] = x;
  obs[2 * i + 1] = 0.0f;
}
}  // namespace

const EnvOps mountainCarOps{discreteDims, step<false>, reset};
const EnvOps mountainCarContinuousOps{continuousDims, step<true>, reset};

}  // namespace ol::envs
