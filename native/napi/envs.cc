// envs: batched environments over JS-owned buffers (layout in native/core/envs/env.h). JS signatures:
//   envDims(config: Int32Array[4], out: Int32Array[5]): void  [state, obs, action, task, discrete]
//   envSeed(key: Uint32Array[2], rng: Uint32Array[4n]): void
//   envReset(config, state, tasks, elapsed: Int32Array[n], rng, obs): void
//   envStep(config, state, tasks, elapsed, rng, actions: Int32Array | Float32Array, obs, reward,
//           terminated: Uint8Array, truncated: Uint8Array, finalObs): void
//   envSampleTasks(config, key, out: Float32Array[count x taskDim]): void
// The bound form (envBind / envStepBound, checked once per env instead of once per step) is in
// envs_bound.cc.
#include <string>

#include "core/envs/env.h"
#include "napi/args.h"
#include "napi/envs_args.h"
#include "napi/envs_bound.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

using envargs::batchArgs;
using envargs::configArg;

rng::Key keyArg(const Napi::CallbackInfo& info, size_t index) {
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, index, "key", 2);
  return rng::Key{k.data[0], k.data[1]};
}

Napi::Value Dims(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "envDims");
  envs::Config cfg = configArg(info, 0);
  ArrayArg<int32_t> out = typedArray<int32_t>(info, 1, "out", 5);
  envs::Dims d = envs::dims(cfg);
  out.data[0] = static_cast<int32_t>(d.state);
  out.data[1] = static_cast<int32_t>(d.obs);
  out.data[2] = static_cast<int32_t>(d.action);
  out.data[3] = static_cast<int32_t>(d.task);
  out.data[4] = d.discrete;
  return info.Env().Undefined();
}

Napi::Value Seed(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "envSeed");
  rng::Key key = keyArg(info, 0);
  ArrayArg<uint32_t> rng = typedArray<uint32_t>(info, 1, "rng");
  if (rng.length == 0 || rng.length % 4 != 0)
    throwRange(info.Env(), "rng: expected a positive multiple of 4 elements, got " + std::to_string(rng.length));
  envs::seedRows(key, rng.data, rng.length / 4);
  return info.Env().Undefined();
}

Napi::Value Reset(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "envReset");
  envs::Config cfg = configArg(info, 0);
  envs::Dims d = envs::dims(cfg);
  envs::Batch b = batchArgs(info, d);
  ArrayArg<float> obs = typedArray<float>(info, 5, "obs", d.obs * b.n);
  envs::reset(cfg, b, obs.data);
  return info.Env().Undefined();
}

Napi::Value Step(const Napi::CallbackInfo& info) {
  requireArgs(info, 11, "envStep");
  envs::Config cfg = configArg(info, 0);
  envs::Dims d = envs::dims(cfg);
  envs::Batch b = batchArgs(info, d);
  const void* actions = nullptr;
  size_t count = 0;
  if (d.discrete > 0) {
    ArrayArg<int32_t> a = typedArray<int32_t>(info, 5, "actions", b.n);
    actions = a.data;
    count = a.length;
  } else {
    ArrayArg<float> a = typedArray<float>(info, 5, "actions", d.action * b.n);
    actions = a.data;
    count = a.length;
  }
  envargs::checkActionValues(info.Env(), cfg, d, actions, count);
  ArrayArg<float> obs = typedArray<float>(info, 6, "obs", d.obs * b.n);
  ArrayArg<float> reward = typedArray<float>(info, 7, "reward", b.n);
  ArrayArg<uint8_t> term = typedArray<uint8_t>(info, 8, "terminated", b.n);
  ArrayArg<uint8_t> trunc = typedArray<uint8_t>(info, 9, "truncated", b.n);
  ArrayArg<float> fin = typedArray<float>(info, 10, "finalObs", d.obs * b.n);
  envs::step(cfg, b, actions, envs::StepOut{obs.data, reward.data, term.data, trunc.data, fin.data});
  return info.Env().Undefined();
}

Napi::Value SampleTasks(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "envSampleTasks");
  envs::Config cfg = configArg(info, 0);
  rng::Key key = keyArg(info, 1);
  ArrayArg<float> out = typedArray<float>(info, 2, "out");
  size_t dim = envs::dims(cfg).task;
  if (dim == 0) {
    if (out.length != 0) throwRange(info.Env(), "out: this environment has no task parameters (expected length 0)");
    return info.Env().Undefined();
  }
  if (out.length % dim != 0)
    throwRange(info.Env(), "out: expected a multiple of the task size " + std::to_string(dim) + ", got " +
                               std::to_string(out.length));
  envs::sampleTasks(cfg, key, out.data, out.length / dim);
  return info.Env().Undefined();
}

}  // namespace

void RegisterEnvs(Napi::Env env, Napi::Object exports) {
  exports.Set("envDims", Napi::Function::New(env, Dims, "envDims"));
  exports.Set("envSeed", Napi::Function::New(env, Seed, "envSeed"));
  exports.Set("envReset", Napi::Function::New(env, Reset, "envReset"));
  exports.Set("envStep", Napi::Function::New(env, Step, "envStep"));
  exports.Set("envSampleTasks", Napi::Function::New(env, SampleTasks, "envSampleTasks"));
  RegisterEnvsBound(env, exports);
}

}  // namespace ol::napi
