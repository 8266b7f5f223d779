// Navigation2D-v0 as in MAML (Finn et al. 2017; pytorch-maml-rl navigation.py): a point starts at
// the origin, the action is a velocity clipped to [-0.1, 0.1]^2, reward -||s' - g||, terminated
// when |dx| < 0.01 and |dy| < 0.01; 100 steps. Task = goal g ~ U[-0.5, 0.5]^2.
// State = obs = [x, y]. Twin: src/backend/js/envs/navigation2d.ts.
#include <cmath>

#include "core/envs/env.h"
#include "core/envs/fmath.h"
#include "core/envs/stream.h"

namespace ol::envs {
namespace {
constexpr float kMaxVelocity = 0.1f;
constexpr float kTolerance = 0.01f;

Dims dimsOf(const Config&) { return Dims{2, 2, 2, 2, 0}; }

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const float* act = static_cast<const float*>(actions);
  const size_t n = b.n;
  for (size_t i = begin; i < end; ++i) {
    float x = b.state[i] + fclip(act[2 * i], -kMaxVelocity, kMaxVelocity);
    float y = b.state[n + i] + fclip(act[2 * i + 1], -kMaxVelocity, kMaxVelocity);
    float dx = x - b.tasks[2 * i], dy = y - b.tasks[2 * i + 1];
    b.state[i] = x;
    b.state[n + i] = y;
    out.obs[2 * i] = out.finalObs[2 * i] = x;
    out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = y;
    int32_t e = b.elapsed[i] + 1;
    b.elapsed[i] = e;
    out.terminated[i] = (std::fabs(dx) < kTolerance && std::fabs(dy) < kTolerance) ? 1 : 0;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = -std::sqrt(dx * dx + dy * dy);
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
  task[0] = -0.5f + (0.5f - -0.5f) * s.uniform();
  task[1] = -0.5f + (0.5f - -0.5f) * s.uniform();
}
}  // namespace

const EnvOps& navigation2dOps() {
  static const EnvOps op{dimsOf, step, reset, sampleTask};
  return op;
}

}  // namespace ol::envs
