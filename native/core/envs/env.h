// Batched environments over caller-owned buffers. The TypeScript twin is src/backend/js/envs/env.ts.
//
// One batch of n envs of one kind lives in these buffers (all owned by JavaScript, so both
// backends share the layout and a vector env can be checkpointed):
//   state    float [stateDim x n]   structure of arrays: component c of row i at c*n + i
//   tasks    float [n x taskDim]    per-env task parameters; they survive autoresets
//   elapsed  int32 [n]              steps taken in the current episode
//   rng      uint32 [n x 4]         per-row Philox stream: key0, key1, counter lo, counter hi
// A step writes obs and finalObs [n x obsDim], reward [n], terminated [n], truncated [n].
// finalObs is the observation the step reached before any reset (equal to obs for rows that did
// not end); rows that ended are reset in the same step and obs holds their new first observation.
//
// Config is int32 [4]: kind, maxEpisodeSteps, and two kind-specific integers (Bandit: arms;
// TabularMDP: states, actions; PointRobot: dense reward 0/1).
//
// Randomness: row i's reset and random transitions draw whole Philox blocks from its own stream,
// so results depend neither on the thread count nor on which thread steps which row.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/rng/philox.h"

namespace ol::envs {

enum class Kind : int32_t {
  CartPole = 0,
  Acrobot = 1,
  MountainCar = 2,
  MountainCarContinuous = 3,
  Pendulum = 4,
  Bandit = 5,
  TabularMdp = 6,
  Navigation2D = 7,
  PointRobot = 8,
};
constexpr int32_t kNumKinds = 9;
constexpr size_t kConfigLength = 4;

struct Config {
  Kind kind;
  int32_t maxSteps;
  int32_t p0, p1;
};

struct Dims {
  size_t state;     // state components per row
  size_t obs;       // observation floats per row
  size_t action;    // floats per row for box actions, 1 for discrete
  size_t task;      // task floats per row (0: no task)
  int32_t discrete; // number of discrete actions, 0 for box actions
};

struct Batch {
  size_t n;
  float* state;
  const float* tasks;
  int32_t* elapsed;
  uint32_t* rng;
};

struct StepOut {
  float* obs;
  float* reward;
  uint8_t* terminated;
  uint8_t* truncated;
  float* finalObs;
};

// Reads and checks a config; returns nullptr when valid, else what is wrong.
const char* parseConfig(const int32_t* raw, Config* out);
Dims dims(const Config& cfg);

// Row keys: key_i = fold(key, i), counters 0, for all n rows.
void seedRows(rng::Key key, uint32_t* rng, size_t n);
// Resets every row: new initial state from its stream, elapsed 0, obs written. Threaded.
void reset(const Config& cfg, const Batch& b, float* obs);
// One step of every row with same-step autoreset. Actions must have been checked
// (firstInvalidAction). Threaded over rows.
void step(const Config& cfg, const Batch& b, const void* actions, const StepOut& out);
// Same, for rows [begin, end) on the calling thread only (the rollout kernel's inner loop).
void stepRange(const Config& cfg, const Batch& b, const void* actions, const StepOut& out, size_t begin, size_t end);
// n tasks [n x taskDim]; task j is drawn from the stream fold(key, j). Threaded.
void sampleTasks(const Config& cfg, rng::Key key, float* out, size_t n);

// Index of the first action a step would reject (discrete: outside [0, numActions); box: NaN),
// or -1 when all are valid. `count` is n for discrete actions, n*actionDim for box actions.
int64_t firstInvalidAction(const Config& cfg, const void* actions, size_t count);

// ---- shared by the env files ----------------------------------------------------------------

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

// Per-kind operations. step writes state, obs, finalObs, reward, flags and elapsed for rows
// [begin, end); reset re-initializes one row's state and writes its obs row.
struct EnvOps {
  Dims (*dims)(const Config&);
  void (*step)(const Config&, const Batch&, const void* actions, const StepOut&, size_t begin, size_t end);
  void (*reset)(const Config&, const Batch&, float* obs, size_t row);
  void (*sampleTask)(const Config&, rng::Key key, float* task);  // nullptr when taskDim is 0
  // Optional batched reset of the listed rows (k <= kResetBatch, elapsed already 0), the same
  // as reset on each; for envs whose episodes end often enough that resets cost (CartPole).
  void (*resetRows)(const Config&, const Batch&, float* obs, const size_t* rows, size_t k) = nullptr;
};

const EnvOps& cartpoleOps();
const EnvOps& acrobotOps();
const EnvOps& mountainCarOps();
const EnvOps& mountainCarContinuousOps();
const EnvOps& pendulumOps();
const EnvOps& banditOps();
const EnvOps& tabularMdpOps();
const EnvOps& navigation2dOps();
const EnvOps& pointRobotOps();

// Writes the step-limit flag (Gymnasium's TimeLimit) after elapsed was incremented.
inline uint8_t timeLimit(const Config& cfg, int32_t elapsed) { return elapsed >= cfg.maxSteps ? 1 : 0; }

}  // namespace ol::envs
