// Bandit-v0: a k-armed bandit as in RL^2 (Duan et al. 2016). An episode is one trial of
// `maxEpisodeSteps` pulls (the horizon is part of the task, so the last pull reports terminated,
// not truncated). config p1 picks the arms:
//   0 Bernoulli: task p_j ~ U[0, 1], reward 1 with probability p_a (the paper's setting);
//   1 Gaussian:  task mu_j ~ N(0, 1), reward ~ N(mu_a, 1) (unit noise, so the posterior of a
//                N(0, 1) prior stays Gaussian and the baselines' beliefs are exact).
// Obs [one-hot last action (k), last reward]: all zeros at the start of a trial.
// State [last action (-1 before the first pull), last reward]. Twin: src/backend/js/envs/bandit.ts.
#include "core/envs/ops.h"
#include "core/envs/stream.h"

namespace ol::envs {
namespace {
Dims dimsOf(const Config& cfg) {
  size_t k = static_cast<size_t>(cfg.p0);
  return Dims{2, k + 1, 1, k, cfg.p0};
}

void writeObs(size_t k, int32_t last, float r, float* o) {
  for (size_t j = 0; j < k; ++j) o[j] = 0.0f;
  if (last >= 0) o[last] = 1.0f;
  o[k] = r;
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t n = b.n, k = static_cast<size_t>(cfg.p0);
  for (size_t i = begin; i < end; ++i) {
    int32_t a = act[i];
    rng::Block blk = drawBlock(b.rng + 4 * i);
    const float arm = b.tasks[i * k + static_cast<size_t>(a)];
    float r;
    if (cfg.p1 == 1) {
      float z0, z1;
      rng::boxMuller(blk.v[2], blk.v[3], &z0, &z1);
      r = arm + z0;
    } else {
      r = rng::toUniform(blk.v[0]) < arm ? 1.0f : 0.0f;
    }
    b.state[i] = static_cast<float>(a);
    b.state[n + i] = r;
    writeObs(k, a, r, out.obs + (k + 1) * i);
    writeObs(k, a, r, out.finalObs + (k + 1) * i);
    endTrialStep(cfg, b, out, i, r);
  }
}

void reset(const Config& cfg, const Batch& b, float* obs, size_t i) {
  size_t k = static_cast<size_t>(cfg.p0);
  b.state[i] = -1.0f;
  b.state[b.n + i] = 0.0f;
  writeObs(k, -1, 0.0f, obs + (k + 1) * i);
}

const char* checkConfig(const Config& cfg) {
  if (cfg.p0 < 2 || cfg.p0 > 1024) return "config[2] (arms): expected an integer in [2, 1024]";
  return cfg.p1 != 0 && cfg.p1 != 1 ? "config[3] (rewards): expected 0 (Bernoulli) or 1 (Gaussian)" : nullptr;
}

void sampleTask(const Config& cfg, rng::Key key, float* task) {
  Stream s(key);
  for (int32_t j = 0; j < cfg.p0; ++j) task[j] = cfg.p1 == 1 ? s.normal() : s.uniform();
}
}  // namespace

const EnvOps banditOps{dimsOf, step, reset, sampleTask, checkConfig};

}  // namespace ol::envs
