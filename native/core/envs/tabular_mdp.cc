// TabularMDP-v0 as in RL^2 (Duan et al. 2016): S states (10), A actions (5), horizon
// `maxEpisodeSteps` (10, reported as terminated: it is part of the task), start in state 0,
// one-hot observations. Task = [P (S x A x S) row-major, then mean rewards R (S x A)] with
// P(.|s,a) ~ Dirichlet(1) and R ~ N(1, 1); a step's reward is R[s,a] + N(0, 1).
// State [s]. Twin: src/backend/js/envs/tabular_mdp.ts.
#include "core/envs/ops.h"
#include "core/envs/stream.h"

namespace ol::envs {
namespace {
Dims dimsOf(const Config& cfg) {
  size_t s = static_cast<size_t>(cfg.p0), a = static_cast<size_t>(cfg.p1);
  return Dims{1, s, 1, s * a * s + s * a, cfg.p1};
}

void writeObs(size_t numStates, size_t s, float* o) {
  for (size_t j = 0; j < numStates; ++j) o[j] = 0.0f;
  o[s] = 1.0f;
}

void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end) {
  const int32_t* act = static_cast<const int32_t*>(actions);
  const size_t S = static_cast<size_t>(cfg.p0), A = static_cast<size_t>(cfg.p1);
  const size_t taskDim = S * A * S + S * A;
  for (size_t i = begin; i < end; ++i) {
    const float* task = b.tasks + i * taskDim;
    float sf = b.state[i];  // a corrupt state buffer must not index out of the task
    size_t s = (sf >= 0.0f && sf < static_cast<float>(S)) ? static_cast<size_t>(sf) : 0;
    size_t a = static_cast<size_t>(act[i]);
    rng::Block blk = drawBlock(b.rng + 4 * i);
    // Next state: the first s' whose cumulative probability exceeds u (the last one if rounding
    // leaves the total below u).
    float u = rng::toUniform(blk.v[0]);
    const float* p = task + (s * A + a) * S;
    size_t next = S - 1;
    float cum = 0.0f;
    for (size_t j = 0; j < S; ++j) {
      cum = cum + p[j];
      if (u < cum) {
        next = j;
        break;
      }
    }
    float z0, z1;
    rng::boxMuller(blk.v[2], blk.v[3], &z0, &z1);
    float r = task[S * A * S + s * A + a] + z0;
    b.state[i] = static_cast<float>(next);
    writeObs(S, next, out.obs + S * i);
    writeObs(S, next, out.finalObs + S * i);
    endTrialStep(cfg, b, out, i, r);
  }
}

void reset(const Config& cfg, const Batch& b, float* obs, size_t i) {
  size_t S = static_cast<size_t>(cfg.p0);
  b.state[i] = 0.0f;
  writeObs(S, 0, obs + S * i);
}

const char* checkConfig(const Config& cfg) {
  if (cfg.p0 < 1 || cfg.p0 > 64) return "config[2] (states): expected an integer in [1, 64]";
  if (cfg.p1 < 1 || cfg.p1 > 64) return "config[3] (actions): expected an integer in [1, 64]";
  return nullptr;
}

void sampleTask(const Config& cfg, rng::Key key, float* task) {
  const size_t S = static_cast<size_t>(cfg.p0), A = static_cast<size_t>(cfg.p1);
  Stream st(key);
  // Dirichlet(1) = normalized Exponential(1) draws.
  for (size_t row = 0; row < S * A; ++row) {
    float* p = task + row * S;
    float total = 0.0f;
    for (size_t j = 0; j < S; ++j) {
      p[j] = st.exponential();
      total = total + p[j];
    }
    for (size_t j = 0; j < S; ++j) p[j] = p[j] / total;
  }
  float* means = task + S * A * S;
  for (size_t j = 0; j < S * A; ++j) means[j] = 1.0f + st.normal();
}
}  // namespace

const EnvOps tabularMdpOps{dimsOf, step, reset, sampleTask, checkConfig};

}  // namespace ol::envs
