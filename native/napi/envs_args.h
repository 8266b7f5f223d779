// Argument readers shared by the envs glue (envs.cc: per-call form; envs_bound.cc: bound form).
// The js twin is src/backend/js/envs/envs_args.ts.
#pragma once

#include <string>

#include "core/envs/env.h"
#include "napi/args.h"

namespace ol::napi::envargs {

inline envs::Config configArg(const Napi::CallbackInfo& info, size_t index) {
  ArrayArg<int32_t> raw = typedArray<int32_t>(info, index, "config", envs::kConfigLength);
  envs::Config cfg{};
  if (const char* err = envs::parseConfig(raw.data, &cfg)) throwRange(info.Env(), err);
  return cfg;
}

// Reads state, tasks, elapsed and rng (args 1..4) and checks their lengths against n = elapsed.length.
inline envs::Batch batchArgs(const Napi::CallbackInfo& info, const envs::Dims& d) {
  ArrayArg<int32_t> elapsed = typedArray<int32_t>(info, 3, "elapsed");
  size_t n = elapsed.length;
  if (n == 0) throwRange(info.Env(), "elapsed: expected at least one env (length >= 1)");
  ArrayArg<float> state = typedArray<float>(info, 1, "state", d.state * n);
  ArrayArg<float> tasks = typedArray<float>(info, 2, "tasks", d.task * n);
  ArrayArg<uint32_t> rng = typedArray<uint32_t>(info, 4, "rng", 4 * n);
  return envs::Batch{n, state.data, tasks.data, elapsed.data, rng.data};
}

// Reads obs, reward, terminated, truncated and finalObs (args first..first+4) for n rows.
inline envs::StepOut stepOutArgs(const Napi::CallbackInfo& info, size_t first, const envs::Dims& d, size_t n) {
  return envs::StepOut{typedArray<float>(info, first, "obs", d.obs * n).data,
                       typedArray<float>(info, first + 1, "reward", n).data,
                       typedArray<uint8_t>(info, first + 2, "terminated", n).data,
                       typedArray<uint8_t>(info, first + 3, "truncated", n).data,
                       typedArray<float>(info, first + 4, "finalObs", d.obs * n).data};
}

// Throws a RangeError naming the first action a step would reject.
inline void checkActionValues(Napi::Env env, const envs::Config& cfg, const envs::Dims& d, const void* actions,
                              size_t count) {
  int64_t bad = envs::firstInvalidAction(cfg, actions, count);
  if (bad < 0) return;
  if (d.discrete > 0)
    throwRange(env, "actions[" + std::to_string(bad) + "]: expected an integer in [0, " + std::to_string(d.discrete) +
                        "), got " + std::to_string(static_cast<const int32_t*>(actions)[bad]));
  throwRange(env, "actions[" + std::to_string(bad) + "]: expected a number, got NaN");
}

}  // namespace ol::napi::envargs
