// Two 2D point-navigation tasks: a point starts at the origin and moves by its action, a velocity
// clipped to [-0.1, 0.1]^2, toward a goal g (the task); state = obs = [x, y]; 100 steps.
//   Navigation2D-v0, as in MAML (Finn et al. 2017; pytorch-maml-rl navigation.py): g ~
//     U[-0.5, 0.5]^2, reward -||s' - g||, terminated when |dx| < 0.01 and |dy| < 0.01.
//   PointRobot-v0, the sparse-reward point robot of PEARL / BOReL-style meta-RL (gymnax
//     PointRobot-misc): g on the upper half of the unit circle (angle ~ U[0, pi]), reward 1 within
//     the goal radius 0.2 and 0 outside (config dense = 1: -||s' - g|| instead), never terminates.
// Twin: src/backend/js/envs/navigation2d.ts.
#include <cmath>

#include "core/envs/fmath.h"
#include "core/envs/ops.h"
#include "core/envs/stream.h"

namespace ol::envs {
namespace {
constexpr float kMaxVelocity = 0.1f;
constexpr float kTolerance = 0.01f;  // Navigation2D-v0
constexpr float kGoalRadius = 0.2f;  // PointRobot-v0

Dims dimsOf(const Config&) { return Dims{2, 2, 2, 2, 0}; }

// Moves every row, then judges its offset (dx, dy) from the goal.
template <typename Terminated, typename Reward>
void move(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end,
          Terminated terminated, Reward reward) {
  const float* act = static_cast<const float*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i] + fclip(act[2 * i], -kMaxVelocity, kMaxVelocity);
    float y = b.state[n + i] + fclip(act[2 * i + 1], -kMaxVelocity, kMaxVelocity);
    float dx = x - b.tasks[2 * i], dy = y - b.tasks[2 * i + 1];
    b.state[i] = x;
    b.state[n + i] = y;
    const float o[2] = {x, y};
    writeObsRow(out, i, 2, o);
    endStep(cfg, b, out, i, terminated(dx, dy), reward(dx, dy));
  }
}

void navigationStep(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin,
                    size_t end) {
  move(
      cfg, b, actions, out, begin, end,
      [](float dx, float dy) { return std::fabs(dx) < kTolerance && std::fabs(dy) < kTolerance; },
      [](float dx, float dy) { return -std::sqrt(dx * dx + dy * dy); });
}

void pointRobotStep(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin,
                    size_t end) {
  const bool dense = cfg.p0 == 1;
  move(
      cfg, b, actions, out, begin, end, [](float, float) { return false; },
      [dense](float dx, float dy) {
        float dist = std::sqrt(dx * dx + dy * dy);
        return dense ? -dist : (dist <= kGoalRadius ? 1.0f : 0.0f);
      });
}

void resetAtOrigin(const Config&, const Batch& b, float* obs, size_t i) {
  b.state[i] = 0.0f;
  b.state[b.n + i] = 0.0f;
  obs[2 * i] = 0.0f;
  obs[2 * i + 1] = 0.0f;
}

void navigationTask(const Config&, rng::Key key, float* task) {
  Stream s(key);
  task[0] = -0.5f + (0.5f - -0.5f) * s.uniform();
  task[1] = -0.5f + (0.5f - -0.5f) * s.uniform();
}

void pointRobotTask(const Config&, rng::Key key, float* task) {
  Stream s(key);
  float angle = kPi * s.uniform();
  fsincos(angle, &task[1], &task[0]);
}

const char* pointRobotConfig(const Config& cfg) {
  return cfg.p0 != 0 && cfg.p0 != 1 ? "config[2] (dense): expected 0 or 1" : nullptr;
}
}  // namespace

const EnvOps navigation2dOps{dimsOf, navigationStep, resetAtOrigin, navigationTask};
const EnvOps pointRobotOps{dimsOf, pointRobotStep, resetAtOrigin, pointRobotTask, pointRobotConfig};

}  // namespace ol::envs
