// rollout: batched policy rollouts and GAE. JS signatures:
//   rolloutRun(args: RolloutArgs): void; rolloutRunAsync(args: frozen RolloutArgs): Promise<void>
//     (fields in src/backend/kernels/rollout.ts and native/core/rollout/rollout.h)
//   gae(T, N, rewards, values, terminated, truncated, finalValues, lastValues, gamma, lambda,
//       advantages: Float32Array | null, returns: Float32Array | null): void
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/envs/env.h"
#include "core/nn/mlp.h"
#include "core/rollout/gae.h"
#include "core/rollout/rollout.h"
#include "napi/args.h"
#include "napi/async.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

template <typename T>
ArrayArg<T> field(Napi::Object o, const char* name) {
  return typedArrayValue<T>(o.Env(), o.Get(name), name);
}
template <typename T>
ArrayArg<T> field(Napi::Object o, const char* name, size_t length) {
  ArrayArg<T> a = field<T>(o, name);
  requireLength(o.Env(), a.length, length, name);
  return a;
}
int64_t intField(Napi::Object o, const char* name, int64_t min, int64_t max) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) throwType(o.Env(), std::string(name) + ": expected an integer");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max))
    throwRange(o.Env(), std::string(name) + ": expected an integer in [" + std::to_string(min) + ", " +
                            std::to_string(max) + "], got " + std::to_string(d));
  return static_cast<int64_t>(d);
}

// Owns the sizes array copy so the spec stays valid in async work.
struct NetArg {
  std::vector<int32_t> sizes;
  rollout::Net net{};
};

void readNet(Napi::Object o, const char* sizesName, const char* hiddenName, const char* paramsName, size_t in,
             size_t out, NetArg* dst) {
  Napi::Env env = o.Env();
  ArrayArg<int32_t> sizes = field<int32_t>(o, sizesName);
  if (sizes.length < 2 || sizes.length > 64)
    throwRange(env, std::string(sizesName) + ": expected 2 to 64 layer widths, got " + std::to_string(sizes.length));
  dst->sizes.assign(sizes.data, sizes.data + sizes.length);
  for (size_t l = 0; l < sizes.length; ++l)
    if (dst->sizes[l] < 1 || dst->sizes[l] > 65536)
      throwRange(env, std::string(sizesName) + "[" + std::to_string(l) + "]: expected a width in [1, 65536]");
  if (static_cast<size_t>(dst->sizes.front()) != in)
    throwRange(env, std::string(sizesName) + "[0]: expected the observation size " + std::to_string(in));
  if (static_cast<size_t>(dst->sizes.back()) != out)
    throwRange(env, std::string(sizesName) + ": expected " + std::to_string(out) + " outputs, got " +
                        std::to_string(dst->sizes.back()));
  auto hidden = static_cast<int>(intField(o, hiddenName, 0, nn::kNumActivations - 1));
  nn::MlpSpec spec{dst->sizes.data(), static_cast<int>(dst->sizes.size()) - 1, static_cast<nn::Activation>(hidden),
                   nn::Activation::Identity};
  ArrayArg<float> params = field<float>(o, paramsName, nn::mlpParamCount(spec));
  dst->net = rollout::Net{spec, params.data};
}

struct Parsed {
  rollout::RolloutArgs args{};
  NetArg policy, value;
};

std::unique_ptr<Parsed> parseArgs(Napi::Value v) {
  Napi::Env env = v.Env();
  if (!v.IsObject()) throwType(env, "rolloutRun: expected an arguments object");
  Napi::Object o = v.As<Napi::Object>();
  auto p = std::make_unique<Parsed>();
  rollout::RolloutArgs& a = p->args;
  ArrayArg<int32_t> rawCfg = field<int32_t>(o, "config", envs::kConfigLength);
  if (const char* err = envs::parseConfig(rawCfg.data, &a.cfg)) throwRange(env, err);
  envs::Dims d = envs::dims(a.cfg);
  ArrayArg<int32_t> elapsed = field<int32_t>(o, "elapsed");
  const size_t N = elapsed.length;
  if (N == 0) throwRange(env, "elapsed: expected at least one env (length >= 1)");
  a.env = envs::Batch{N, field<float>(o, "state", d.state * N).data, field<float>(o, "tasks", d.task * N).data,
                      elapsed.data, field<uint32_t>(o, "rng", 4 * N).data};
  a.obs = field<float>(o, "obs", d.obs * N).data;
  const size_t T = static_cast<size_t>(intField(o, "steps", 1, 1 << 24));
  if (T * N > static_cast<size_t>(kMaxElements)) throwRange(env, "steps: steps x numEnvs is too large");
  a.T = T;
  ArrayArg<uint32_t> key = field<uint32_t>(o, "key", 2);
  a.key = rng::Key{key.data[0], key.data[1]};
  a.counter = static_cast<uint64_t>(intField(o, "counter", 0, kMaxSafeInteger));
  auto mode = intField(o, "valueMode", 0, 2);
  a.valueMode = static_cast<rollout::ValueMode>(mode);
  const bool discrete = d.discrete > 0;
  size_t heads = (discrete ? static_cast<size_t>(d.discrete) : d.action) + (mode == 1 ? 1 : 0);
  readNet(o, "policySizes", "policyHidden", "policyParams", d.obs, heads, &p->policy);
  a.policy = p->policy.net;
  a.logStd = field<float>(o, "logStd", discrete ? 0 : d.action).data;
  if (mode == 2) {
    readNet(o, "valueSizes", "valueHidden", "valueParams", d.obs, 1, &p->value);
    a.value = p->value.net;
  }
  const size_t TN = T * N;
  a.trajObs = field<float>(o, "trajObs", TN * d.obs).data;
  if (discrete)
    a.actions = field<int32_t>(o, "actions", TN).data;
  else
    a.actions = field<float>(o, "actions", TN * d.action).data;
  a.logProbs = field<float>(o, "logProbs", TN).data;
  a.values = field<float>(o, "values", TN).data;
  a.rewards = field<float>(o, "rewards", TN).data;
  a.terminated = field<uint8_t>(o, "terminated", TN).data;
  a.truncated = field<uint8_t>(o, "truncated", TN).data;
  a.finalValues = field<float>(o, "finalValues", TN).data;
  a.lastValues = field<float>(o, "lastValues", N).data;
  a.episodeReturn = field<float>(o, "episodeReturn", N).data;
  a.episodeLength = field<int32_t>(o, "episodeLength", N).data;
  a.doneReturn = field<float>(o, "doneReturn", TN).data;
  a.doneLength = field<int32_t>(o, "doneLength", TN).data;
  return p;
}

Napi::Value Run(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "rolloutRun");
  std::unique_ptr<Parsed> p = parseArgs(info[0]);
  rollout::run(p->args);
  return info.Env().Undefined();
}

Napi::Value RunAsync(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "rolloutRunAsync");
  // The buffers are read from the object's fields; a frozen object keeps every one of them
  // referenced (and so alive) while the promise is pending.
  Napi::Object objectCtor = info.Env().Global().Get("Object").As<Napi::Object>();
  Napi::Value frozen = objectCtor.Get("isFrozen").As<Napi::Function>().Call({info[0]});
  if (!info[0].IsObject() || !frozen.ToBoolean().Value())
    throwType(info.Env(), "rolloutRunAsync: expected a frozen arguments object (Object.freeze)");
  std::shared_ptr<Parsed> p(parseArgs(info[0]).release());
  return PromiseWorker::Start(info, [p] { rollout::run(p->args); }, nullptr);
}

Napi::Value Gae(const Napi::CallbackInfo& info) {
  requireArgs(info, 12, "gae");
  const size_t T = static_cast<size_t>(integer(info, 0, "T", 1, kMaxElements));
  const size_t N = static_cast<size_t>(integer(info, 1, "N", 1, kMaxElements));
  if (T * N > static_cast<size_t>(kMaxElements)) throwRange(info.Env(), "T x N is too large");
  rollout::GaeInput in{};
  in.T = T;
  in.N = N;
  in.rewards = typedArray<float>(info, 2, "rewards", T * N).data;
  in.values = typedArray<float>(info, 3, "values", T * N).data;
  in.terminated = typedArray<uint8_t>(info, 4, "terminated", T * N).data;
  in.truncated = typedArray<uint8_t>(info, 5, "truncated", T * N).data;
  in.finalValues = typedArray<float>(info, 6, "finalValues", T * N).data;
  in.lastValues = typedArray<float>(info, 7, "lastValues", N).data;
  in.gamma = static_cast<float>(number(info, 8, "gamma"));
  in.lambda = static_cast<float>(number(info, 9, "lambda"));
  float* adv = info[10].IsNull() ? nullptr : typedArray<float>(info, 10, "advantages", T * N).data;
  float* ret = info[11].IsNull() ? nullptr : typedArray<float>(info, 11, "returns", T * N).data;
  rollout::gae(in, adv, ret);
  return info.Env().Undefined();
}

}  // namespace

void RegisterRollout(Napi::Env env, Napi::Object exports) {
  exports.Set("rolloutRun", Napi::Function::New(env, Run, "rolloutRun"));
  exports.Set("rolloutRunAsync", Napi::Function::New(env, RunAsync, "rolloutRunAsync"));
  exports.Set("gae", Napi::Function::New(env, Gae, "gae"));
}

}  // namespace ol::napi
