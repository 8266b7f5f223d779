// es rollouts: batched population evaluation (native/core/es/population_rollout.h). JS signatures:
//   esRolloutPolicies(config: Int32Array[4], sizes: Int32Array, hidden: number, output: number,
//                     params: Float32Array[P × paramCount], envsPerMember: number, maxSteps: number,
//                     key: Uint32Array[2], commonEnvSeeds: boolean, tasks: Float32Array[E × taskDim],
//                     returns: Float64Array[P], lengths: Int32Array[P], descriptors: Float32Array[P × obsDim]): void
//   esRolloutPoliciesAsync(same arguments): Promise<void>   (buffers must not be touched until it settles)
#include <memory>
#include <string>
#include <vector>

#include "core/es/population_rollout.h"
#include "napi/args.h"
#include "napi/async.h"
#include "napi/register.h"

namespace ol::napi {
namespace {
constexpr int32_t kMaxWidth = 1 << 16;

struct RolloutArgs {
  std::vector<int32_t> sizes;
  es::RolloutSpec spec{};
  const float* params = nullptr;
  es::RolloutOut out{};
};

// Checks every argument; the spec's policy points into args->sizes.
void readArgs(const Napi::CallbackInfo& info, RolloutArgs* a) {
  Napi::Env env = info.Env();
  requireArgs(info, 13, "esRolloutPolicies");
  ArrayArg<int32_t> raw = typedArray<int32_t>(info, 0, "config", envs::kConfigLength);
  if (const char* err = envs::parseConfig(raw.data, &a->spec.env)) throwRange(env, err);
  envs::Dims d = envs::dims(a->spec.env);

  ArrayArg<int32_t> s = typedArray<int32_t>(info, 1, "sizes");
  if (s.length < 2) throwRange(env, "sizes: expected at least 2 widths, got " + std::to_string(s.length));
  a->sizes.assign(s.data, s.data + s.length);
  double paramCount = 0;
  for (size_t l = 0; l < a->sizes.size(); ++l) {
    if (a->sizes[l] < 1 || a->sizes[l] > kMaxWidth)
      throwRange(env, "sizes[" + std::to_string(l) + "]: expected an integer in [1, " + std::to_string(kMaxWidth) +
                          "], got " + std::to_string(a->sizes[l]));
    if (l > 0) paramCount += (static_cast<double>(a->sizes[l - 1]) + 1) * a->sizes[l];
  }
  if (paramCount > static_cast<double>(kMaxElements)) throwRange(env, "sizes: too many parameters");
  auto hidden = static_cast<int>(integer(info, 2, "hidden", 0, nn::kNumActivations - 1));
  auto output = static_cast<int>(integer(info, 3, "output", 0, nn::kNumActivations - 1));
  a->spec.policy = nn::MlpSpec{a->sizes.data(), static_cast<int>(a->sizes.size() - 1),
                               static_cast<nn::Activation>(hidden), static_cast<nn::Activation>(output)};
  if (static_cast<size_t>(a->sizes.front()) != d.obs)
    throwRange(env, "sizes[0]: expected the observation size " + std::to_string(d.obs) + ", got " +
                        std::to_string(a->sizes.front()));
  size_t actionWidth = d.discrete > 0 ? static_cast<size_t>(d.discrete) : d.action;
  if (static_cast<size_t>(a->sizes.back()) != actionWidth)
    throwRange(env, "sizes[last]: expected " + std::string(d.discrete > 0 ? "the number of actions " : "the action size ") +
                        std::to_string(actionWidth) + ", got " + std::to_string(a->sizes.back()));

  ArrayArg<double> returns = typedArray<double>(info, 10, "returns");
  size_t members = returns.length;
  if (members == 0) throwRange(env, "returns: expected at least one member (length >= 1)");
  ArrayArg<float> params = typedArray<float>(info, 4, "params");
  requireLength(env, params.length, members * static_cast<size_t>(paramCount), "params");
  auto envsPerMember = static_cast<size_t>(integer(info, 5, "envsPerMember", 1, 1 << 20));
  auto maxSteps = static_cast<size_t>(integer(info, 6, "maxSteps", 1, 1 << 30));
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, 7, "key", 2);
  bool common = boolean(info, 8, "commonEnvSeeds");
  ArrayArg<float> tasks = typedArray<float>(info, 9, "tasks", d.task * envsPerMember);
  ArrayArg<int32_t> lengths = typedArray<int32_t>(info, 11, "lengths", members);
  ArrayArg<float> desc = typedArray<float>(info, 12, "descriptors", members * d.obs);
  if (static_cast<double>(members) * static_cast<double>(envsPerMember) * static_cast<double>(maxSteps) > 1e12)
    throwRange(env, "maxSteps: members × envsPerMember × maxSteps must be at most 1e12");

  a->spec.members = members;
  a->spec.envsPerMember = envsPerMember;
  a->spec.maxSteps = maxSteps;
  a->spec.key = rng::Key{k.data[0], k.data[1]};
  a->spec.commonEnvSeeds = common;
  a->spec.tasks = d.task > 0 ? tasks.data : nullptr;
  a->params = params.data;
  a->out = es::RolloutOut{returns.data, lengths.data, desc.data};
}

Napi::Value Rollout(const Napi::CallbackInfo& info) {
  RolloutArgs a;
  readArgs(info, &a);
  es::rolloutPopulation(a.spec, a.params, a.out);
  return info.Env().Undefined();
}

Napi::Value RolloutAsync(const Napi::CallbackInfo& info) {
  auto a = std::make_shared<RolloutArgs>();
  readArgs(info, a.get());
  return PromiseWorker::Start(info, [a] { es::rolloutPopulation(a->spec, a->params, a->out); }, nullptr);
}

}  // namespace

// Called from RegisterEs (native/napi/es.cc).
void RegisterEsRollout(Napi::Env env, Napi::Object exports) {
  exports.Set("esRolloutPolicies", Napi::Function::New(env, Rollout, "esRolloutPolicies"));
  exports.Set("esRolloutPoliciesAsync", Napi::Function::New(env, RolloutAsync, "esRolloutPoliciesAsync"));
}

}  // namespace ol::napi
