#include "core/envs/env.h"

#include <cmath>

#include "core/parallel.h"

namespace ol::envs {
namespace {
// Rows per task: a CartPole row costs a few ns, so a task must hold thousands to pay a hand-off.
constexpr size_t kStepGrain = 2048;
constexpr size_t kResetGrain = 512;

const EnvOps& ops(Kind kind) {
  switch (kind) {
    case Kind::CartPole: return cartpoleOps();
    case Kind::Acrobot: return acrobotOps();
    case Kind::MountainCar: return mountainCarOps();
    case Kind::MountainCarContinuous: return mountainCarContinuousOps();
    case Kind::Pendulum: return pendulumOps();
    case Kind::Bandit: return banditOps();
    case Kind::TabularMdp: return tabularMdpOps();
    case Kind::Navigation2D: return navigation2dOps();
    case Kind::PointRobot: return pointRobotOps();
  }
  return cartpoleOps();
}

// Resets the rows of [begin, end) that ended this step; their obs rows get the new episode's start.
void autoreset(const EnvOps& op, const Config& cfg, const Batch& b, const StepOut& out, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (out.terminated[i] | out.truncated[i]) {
      b.elapsed[i] = 0;
      op.reset(cfg, b, out.obs, i);
    }
  }
}
}  // namespace

const char* parseConfig(const int32_t* raw, Config* out) {
  if (raw[0] < 0 || raw[0] >= kNumKinds) return "config[0] (kind): unknown environment kind";
  if (raw[1] < 1) return "config[1] (maxEpisodeSteps): expected an integer >= 1";
  Config c{static_cast<Kind>(raw[0]), raw[1], raw[2], raw[3]};
  switch (c.kind) {
    case Kind::Bandit:
      if (c.p0 < 2 || c.p0 > 1024) return "config[2] (arms): expected an integer in [2, 1024]";
      break;
    case Kind::TabularMdp:
      if (c.p0 < 1 || c.p0 > 64) return "config[2] (states): expected an integer in [1, 64]";
      if (c.p1 < 1 || c.p1 > 64) return "config[3] (actions): expected an integer in [1, 64]";
      break;
    case Kind::PointRobot:
      if (c.p0 != 0 && c.p0 != 1) return "config[2] (dense): expected 0 or 1";
      break;
    default:
      break;
  }
  *out = c;
  return nullptr;
}

Dims dims(const Config& cfg) { return ops(cfg.kind).dims(cfg); }

void seedRows(rng::Key key, uint32_t* rng, size_t n) {
  parallelFor(n, 4096, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      rng::Key k = rng::fold(key, static_cast<uint32_t>(i));
      rng[4 * i] = k.k0;
      rng[4 * i + 1] = k.k1;
      rng[4 * i + 2] = 0;
      rng[4 * i + 3] = 0;
    }
  });
}

void reset(const Config& cfg, const Batch& b, float* obs) {
  const EnvOps& op = ops(cfg.kind);
  parallelFor(b.n, kResetGrain, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      b.elapsed[i] = 0;
      op.reset(cfg, b, obs, i);
    }
  });
}

void stepRange(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const EnvOps& op = ops(cfg.kind);
  op.step(cfg, b, actions, out, begin, end);
  autoreset(op, cfg, b, out, begin, end);
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out) {
  parallelFor(b.n, kStepGrain, [&](size_t begin, size_t end) { stepRange(cfg, b, actions, out, begin, end); });
}

void sampleTasks(const Config& cfg, rng::Key key, float* out, size_t n) {
  const EnvOps& op = ops(cfg.kind);
  size_t dim = op.dims(cfg).task;
  if (dim == 0 || op.sampleTask == nullptr) return;
  parallelFor(n, 64, [&](size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) op.sampleTask(cfg, rng::fold(key, static_cast<uint32_t>(j)), out + j * dim);
  });
}

int64_t firstInvalidAction(const Config& cfg, const void* actions, size_t count) {
  Dims d = dims(cfg);
  if (d.discrete > 0) {
    const int32_t* a = static_cast<const int32_t*>(actions);
    for (size_t i = 0; i < count; ++i)
      if (a[i] < 0 || a[i] >= d.discrete) return static_cast<int64_t>(i);
  } else {
    const float* a = static_cast<const float*>(actions);
    for (size_t i = 0; i < count; ++i)
      if (std::isnan(a[i])) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace ol::envs
