// MountainCarContinuous-v0 (Gymnasium classic_control/continuous_mountain_car.py): force =
// clip(a, -1, 1); v += force * 0.0015 - 0.0025 cos(3x); goal x >= 0.45 with v >= 0; reward
// 100 on reaching the goal minus 0.1 a^2 (the unclipped action, as in Gymnasium); 999 steps.
// Twin: src/backend/js/envs/mountain_car_continuous.ts.
#include "core/envs/env.h"
#include "core/envs/fmath.h"
#include "core/envs/mountain_car.h"

namespace ol::envs {
namespace {
constexpr float kPower = 0.0015f;
constexpr float kGoal = 0.45f;

Dims dimsOf(const Config&) { return Dims{2, 2, 1, 0, 0}; }

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const float* act = static_cast<const float*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i], v = b.state[n + i];
    float a = act[i];
    float force = fclip(a, -1.0f, 1.0f);
    v = v + force * kPower - kCarGravity * fcos(3.0f * x);
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
    out.reward[i] = (done ? 100.0f : 0.0f) - a * a * 0.1f;
  }
}
}  // namespace

const EnvOps& mountainCarContinuousOps() {
  static const EnvOps op{dimsOf, step, mountainCarReset, nullptr};
  return op;
}

}  // namespace ol::envs
