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
// Config is int32 [4]: kind (a position in kinds.h), maxEpisodeSteps, and two integers that the
// kind's own checkConfig reads (Bandit: arms; TabularMDP: states, actions; PointRobot: dense).
//
// Randomness: row i's reset and random transitions draw whole Philox blocks from its own stream,
// so results depend neither on the thread count nor on which thread steps which row.
//
// This is the API the glue and the other kernel families call; an env file implements ops.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/envs/kinds.h"
#include "core/rng/philox.h"

namespace ol::envs {

#define OL_ENV_COUNT(name, id) +1
constexpr int32_t kNumKinds = 0 OL_ENV_KINDS(OL_ENV_COUNT);
#undef OL_ENV_COUNT
constexpr size_t kConfigLength = 4;

struct Config {
  int32_t kind;
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

}  // namespace ol::envs
