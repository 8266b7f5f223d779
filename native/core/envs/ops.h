// What an environment file implements (its EnvOps, listed in kinds.h) and the per-row helpers the
// env files share. The TypeScript twin is src/backend/js/envs/ops.ts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/envs/env.h"
#include "core/envs/kinds.h"
#include "core/rng/philox.h"

namespace ol::envs {

// Per-kind operations. step writes state, obs, finalObs, reward, flags and elapsed for rows
// [begin, end); reset re-initializes one row's state and writes its obs row.
struct EnvOps {
  Dims (*dims)(const Config&);
  void (*step)(const Config&, const Batch&, const void* actions, const StepOut&, size_t begin, size_t end);
  void (*reset)(const Config&, const Batch&, float* obs, size_t row);
  void (*sampleTask)(const Config&, rng::Key key, float* task) = nullptr;  // nullptr when taskDim is 0
  // What is wrong with config[2..3] (p0, p1), or nullptr; nullptr when the kind reads neither.
  const char* (*checkConfig)(const Config&) = nullptr;
  // Optional batched reset of the listed rows (k <= kResetBatch, elapsed already 0), the same
  // as reset on each; for envs whose episodes end often enough that resets cost (CartPole).
  void (*resetRows)(const Config&, const Batch&, float* obs, const size_t* rows, size_t k) = nullptr;
};

// `extern const EnvOps cartpoleOps;` ... one per kind; each env file defines its own.
#define OL_ENV_DECLARE(name, id) extern const EnvOps name##Ops;
OL_ENV_KINDS(OL_ENV_DECLARE)
#undef OL_ENV_DECLARE

// The next block of a row's stream.
inline rng::Block drawBlock(uint32_t* r) {
  rng::Block blk = rng::philox(rng::Key{r[0], r[1]}, r[2], r[3], 0, 0);
  if (++r[2] == 0) ++r[3];
  return blk;
}
inline float uniformIn(uint32_t word, float lo, float hi) { return lo + (hi - lo) * rng::toUniform(word); }

// Most rows an autoreset hands to EnvOps::resetRows at once.
constexpr size_t kResetBatch = 256;
// The next block of each listed row's stream (k <= kResetBatch), word w of row j at words[w][j].
// The same values as drawBlock row by row, computed as independent lanes (vectorized).
void drawBlocks(uint32_t* rng, const size_t* rows, size_t k, uint32_t (*words)[kResetBatch]);

// Gymnasium's TimeLimit flag after elapsed was incremented.
inline uint8_t timeLimit(const Config& cfg, int32_t elapsed) { return elapsed >= cfg.maxSteps ? 1 : 0; }

// The end of row i's step under Gymnasium's TimeLimit: counts the step, then writes its flags and
// reward (truncated once the step limit is reached).
inline void endStep(const Config& cfg, const Batch& b, const StepOut& out, size_t i, bool terminated, float reward) {
  int32_t e = b.elapsed[i] + 1;
  b.elapsed[i] = e;
  out.terminated[i] = terminated ? 1 : 0;
  out.truncated[i] = timeLimit(cfg, e);
  out.reward[i] = reward;
}
// The same for envs whose episode length is part of the task (Bandit, TabularMDP): the last step
// of a trial reports terminated, and nothing is truncated.
inline void endTrialStep(const Config& cfg, const Batch& b, const StepOut& out, size_t i, float reward) {
  int32_t e = b.elapsed[i] + 1;
  b.elapsed[i] = e;
  out.terminated[i] = timeLimit(cfg, e);
  out.truncated[i] = 0;
  out.reward[i] = reward;
}

// Writes obs row i (dim floats) into both obs and finalObs.
inline void writeObsRow(const StepOut& out, size_t i, size_t dim, const float* values) {
  for (size_t c = 0; c < dim; ++c) out.obs[dim * i + c] = out.finalObs[dim * i + c] = values[c];
}

}  // namespace ol::envs
