// Batched population evaluation: P policies (one flat MLP parameter vector each) × E envs each ×
// up to T steps in one call. Every env of a member runs one episode (until it terminates,
// truncates or T steps pass) with the deterministic policy: argmax of the logits for discrete
// actions, the raw outputs for box actions. Members are independent and run single-threaded
// inside a pool task, so results do not depend on the thread count.
//
// Seeding: env e of member m draws from fold(memberKey, e), where memberKey = key when
// commonEnvSeeds (every member meets the same initial states: common random numbers) and
// fold(key, m) otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/envs/env.h"
#include "core/nn/mlp.h"
#include "core/rng/philox.h"

namespace ol::es {

struct RolloutSpec {
  envs::Config env;
  nn::MlpSpec policy;
  size_t members;        // P
  size_t envsPerMember;  // E
  size_t maxSteps;       // T
  rng::Key key;
  bool commonEnvSeeds;
  const float* tasks;    // [E × taskDim], shared by all members (nullptr when taskDim is 0)
};

struct RolloutOut {
  double* returns;      // [P] mean episode return over the member's envs
  int32_t* lengths;     // [P] total steps over the member's envs
  float* descriptors;   // [P × obsDim] mean over envs of the episode's last observation
  // [P × actionWidth] or nullptr (not asked): over every step the member took, the fraction of
  // steps that took each discrete action (an action histogram), or the mean of each box action
  // component as the policy gave it (NaN read as 0, before the env's clipping).
  float* actionStats = nullptr;
};

// params: [P × mlpParamCount(policy)]. Callers check sizes and that the policy's input width is
// the env's observation size and its output width the number of discrete actions (or the box
// action size).
void rolloutPopulation(const RolloutSpec& spec, const float* params, const RolloutOut& out);

}  // namespace ol::es
