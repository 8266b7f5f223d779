// Batched policy rollouts: T steps of policy forward -> sample -> env step -> store, for N envs,
// in one native call. It is the one rollout path: the public `rollout.collect` and PPO/A2C's
// collector both run it. Rows are split across the thread pool and each thread runs all T steps
// for its rows (envs are independent), so there is no per-step synchronization; with running
// observation statistics every step first folds all rows into them, so the rows advance
// together, step by step. The TypeScript twin is src/backend/js/rollout/rollout.ts.
//
// Policy heads: categorical over logits for discrete actions; diagonal Gaussian with a
// state-independent log-std for box actions. Actions are stored as sampled (log-probs are those
// of the stored action) and, given a box, clipped only when sent to the env (Gymnasium's
// ClipAction). Values: none, a head (the policy net's last output column), or a separate value
// net. Sampling: row i at step t draws Philox blocks (counter + t*B + k, k < B) of key
// fold(key, i), B = 1 for discrete actions and ceil(actionDim / 4) for box actions, so results
// do not depend on the thread count. Head math (softmax, log-probs) and the observation
// statistics run in double.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/envs/env.h"
#include "core/nn/mlp.h"
#include "core/rng/philox.h"

namespace ol::rollout {

enum class ValueMode : int32_t { None = 0, Head = 1, Separate = 2 };

struct Net {
  nn::MlpSpec spec;
  const float* params;
};

struct RolloutArgs {
  envs::Config cfg;
  envs::Batch env;  // the env's buffers, stepped in place
  float* obs;       // [N x obsDim] the env's current (raw) observations, updated in place
  size_t T;
  rng::Key key;
  uint64_t counter;
  Net policy;              // obsDim -> numActions (+1 with a value head) | actionDim (+1)
  const float* logStd;     // [actionDim] for box actions
  ValueMode valueMode;
  Net value;               // obsDim -> 1 when valueMode is Separate
  const float* actionLow;  // [actionDim] the box actions are clipped to when sent to the env;
  const float* actionHigh; //   null: sent as sampled
  // Gymnasium's NormalizeObservation: [1 + 2 x obsDim] = count, mean, var, in/out (null: the
  // policy sees raw observations). Before each step the observations of all rows are folded in
  // (a parallel Welford update); the policy input is clip((obs - mean) / sqrt(var + 1e-8), +-clipObs).
  double* obsStats;
  double clipObs;
  // trajectory, time-major
  float* trajObs;          // [T x N x obsDim] the policy input each action was taken from
  void* actions;           // int32 [T x N] | float [T x N x actionDim]
  float* logProbs;         // [T x N]
  float* heads;            // [T x N x (numActions | actionDim)] policy-head outputs, or null
  float* values;           // [T x N] (0 without a value)
  float* rewards;          // [T x N]
  uint8_t* terminated;     // [T x N]
  uint8_t* truncated;      // [T x N]
  float* finalValues;      // [T x N] value of finalObs where truncated and not terminated, else 0
  float* lastValues;       // [N] value of the observation after the last step
  // episode bookkeeping (running sums carried across calls)
  float* episodeReturn;    // [N] in/out
  int32_t* episodeLength;  // [N] in/out
  float* doneReturn;       // [T x N] return of the episode that ended at (t, i), else 0
  int32_t* doneLength;     // [T x N] its length, else 0
};

// Blocks per row and step.
size_t blocksPerStep(const envs::Dims& d);
void run(const RolloutArgs& a);

}  // namespace ol::rollout
