// PointRobot-v0: the sparse-reward point robot of PEARL / BOReL-style meta-RL (gymnax
// PointRobot-misc): start at the origin, velocity actions clipped to [-0.1, 0.1]^2, goal on the
// upper half of the unit circle (angle ~ U[0, pi]); reward 1 inside the goal radius 0.2 and 0
// outside (config dense = 1: reward -||s' - g|| instead); never terminates; 100 steps.
// Task = goal [gx, gy]; state = obs = [x, y]. Twin: src/backend/js/envs/point_robot.ts.
#include <cmath>

#include "core/envs/env.h"
#include "core/envs/fmath.h"
#include "core/envs/stream.h"

namespace ol::envs {
namespace {
constexpr float kMaxVelocity = 0.1f;
constexpr float kGoalRadius = 0.2f;

Dims dimsOf(const Config&) { return Dims{2, 2, 2, 2, 0}; }

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const float* act = static_cast<const float*>(actions);
  const size_t n = b.n;
  const bool dense = cfg.p0 == 1;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i] + fclip(act[2 * i], -kMaxVelocity, kMaxVelocity);
    float y = b.state[n + i] + fclip(act[2 * i + 1], -kMaxVelocity, kMaxVelocity);
    float dx = x - b.tasks[2 * i], dy = y - b.tasks[2 * i + 1];
    float dist = std::sqrt(dx * dx + dy * dy);
    b.state[i] = x;
    b.state[n + i] = y;
    out.obs[2 * i] = out.finalObs[2 * i] = x;
    out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = y;
    int32_t e = b.elapsed[i] + 1;
    b.elapsed[i] = e;
    out.terminated[i] = 0;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = dense ? -dist : (dist <= kGoalRadius ? 1.0f : 0.0f);
  }
}

void reset(const Config&, const Batch& b, float* obs, size_t i) {
  b.state[i] = 0.0f;
  b.state[b.n + i] = 0.0f;
  obs[2 * i] = 0.0f;
  obs[2 * i + 1] = 0.0f;
}

void sampleTask(const Config&, rng::Key key, float* task) {
  Stream s(key);
  float angle = kPi * s.uniform();
  fsincos(angle, &task[1], &task[0]);
}
}  // namespace

const EnvOps& pointRobotOps() {
  static const EnvOps op{dimsOf, step, reset, sampleTask};
  return op;
}

}  // namespace ol::envs
