// envs: N-API glue for the batched environments over JS-owned buffers (layout in
// native/core/envs/env.h). The table at the bottom names each export and its JS signature; the
// bound form (envBind / envStepBound, checked once per env instead of once per step) is in
// envs_bound.cc.
#include <string>

#include "core/envs/env.h"
#include "napi/args.h"
#include "napi/envs_args.h"
#include "napi/envs_bound.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

using envargs::batchArgs;
using envargs::configArg;

rng::Key keyArg(const Info& info, size_t index) {
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, index, "key", 2);
  return rng::Key{k.data[0], k.data[1]};
}

void Dims(const Info& info) {
  envs::Config cfg = configArg(info, 0);
  ArrayArg<int32_t> out = typedArray<int32_t>(info, 1, "out", 5);
  envs::Dims d = envs::dims(cfg);
  out.data[0] = static_cast<int32_t>(d.state);
  out.data[1] = static_cast<int32_t>(d.obs);
  out.data[2] = static_cast<int32_t>(d.action);
  out.data[3] = static_cast<int32_t>(d.task);
  out.data[4] = d.discrete;
}

void Seed(const Info& info) {
  rng::Key key = keyArg(info, 0);
  ArrayArg<uint32_t> rng = typedArray<uint32_t>(info, 1, "rng");
  if (rng.length == 0 || rng.length % 4 != 0)
    throwRange(info.Env(), "rng: expected a positive multiple of 4 elements, got " + std::to_string(rng.length));
  envs::seedRows(key, rng.data, rng.length / 4);
}

void Reset(const Info& info) {
  envs::Config cfg = configArg(info, 0);
  envs::Dims d = envs::dims(cfg);
  envs::Batch b = batchArgs(info, d);
  ArrayArg<float> obs = typedArray<float>(info, 5, "obs", d.obs * b.n);
  envs::reset(cfg, b, obs.data);
}

void Step(const Info& info) {
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
  envs::step(cfg, b, actions, envargs::stepOutArgs(info, 6, d, b.n));
}

Napi::Value SampleTasks(const Info& info) {
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

// n envs: config Int32Array[4] [kind, maxEpisodeSteps, p0, p1]; state Float32Array[stateDim x n];
// tasks Float32Array[n x taskDim]; elapsed Int32Array[n]; rng Uint32Array[4n]; obs and finalObs
// Float32Array[n x obsDim]; reward Float32Array[n]; terminated, truncated Uint8Array[n].
void RegisterEnvs(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"envDims(config, out: Int32Array[5])", Dims},  // out: [state, obs, action, task, discrete]
      {"envSeed(key: Uint32Array[2], rng)", Seed},
      {"envReset(config, state, tasks, elapsed, rng, obs)", Reset},
      {"envStep(config, state, tasks, elapsed, rng, actions: Int32Array | Float32Array, obs, reward, terminated, "
       "truncated, finalObs)", Step},
      {"envBind(config, state, tasks, elapsed, rng, obs, reward, terminated, truncated, finalObs): handle", EnvBind},
      {"envStepBound(handle, actions: Int32Array | Float32Array)", EnvStepBound},
      {"envSampleTasks(config, key: Uint32Array[2], out: Float32Array[count x taskDim])", SampleTasks},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
