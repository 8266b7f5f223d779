// es rollouts: N-API glue for the batched population evaluation (native/core/es/
// population_rollout.h). Registered by es.cc's table.
#include <memory>
#include <string>

#include "core/es/population_rollout.h"
#include "napi/args.h"
#include "napi/async.h"
#include "napi/fields.h"
#include "napi/kernel.h"
#include "napi/mlp_arg.h"

namespace ol::napi {
namespace {

struct RolloutArgs {
  MlpArg policy;
  es::RolloutSpec spec{};
  const float* params = nullptr;
  es::RolloutOut out{};
};

// Checks every argument; the spec's policy points into args->policy.sizes.
void readArgs(const Info& info, RolloutArgs* a) {
  Napi::Env env = info.Env();
  // The scalars first: a getter must not detach a buffer already held.
  ScalarsArg s(info, 8, "scalars");
  a->policy = mlpArg(info, 1, s, "scalars");
  auto envsPerMember = static_cast<size_t>(integerField(env, s, "scalars", "envsPerMember", 1, 1 << 20));
  auto maxSteps = static_cast<size_t>(integerField(env, s, "scalars", "maxSteps", 1, 1 << 30));
  bool common = s.boolean("commonEnvSeeds");

  ArrayArg<int32_t> raw = typedArray<int32_t>(info, 0, "config", envs::kConfigLength);
  if (const char* err = envs::parseConfig(raw.data, &a->spec.env)) throwRange(env, err);
  envs::Dims d = envs::dims(a->spec.env);
  a->spec.policy = a->policy.spec;
  if (a->policy.in != d.obs)
    throwRange(env, "sizes[0]: expected the observation size " + std::to_string(d.obs) + ", got " +
                        std::to_string(a->policy.in));
  size_t actionWidth = d.discrete > 0 ? static_cast<size_t>(d.discrete) : d.action;
  if (a->policy.out != actionWidth)
    throwRange(env, std::string("sizes[last]: expected ") +
                        (d.discrete > 0 ? "the number of actions " : "the action size ") +
                        std::to_string(actionWidth) + ", got " + std::to_string(a->policy.out));

  ArrayArg<double> returns = typedArray<double>(info, 5, "returns");
  size_t members = returns.length;
  if (members == 0) throwRange(env, "returns: expected at least one member (length >= 1)");
  ArrayArg<float> params = typedArray<float>(info, 2, "params");
  requireLength(env, params.length, members * a->policy.params, "params");
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, 3, "key", 2);
  ArrayArg<float> tasks = typedArray<float>(info, 4, "tasks", d.task * envsPerMember);
  ArrayArg<int32_t> lengths = typedArray<int32_t>(info, 6, "lengths", members);
  ArrayArg<float> desc = typedArray<float>(info, 7, "descriptors", members * d.obs);
  if (static_cast<double>(members) * static_cast<double>(envsPerMember) * static_cast<double>(maxSteps) > 1e12)
    throwRange(env, "scalars.maxSteps: members × envsPerMember × maxSteps must be at most 1e12");

  a->spec.members = members;
  a->spec.envsPerMember = envsPerMember;
  a->spec.maxSteps = maxSteps;
  a->spec.key = rng::Key{k.data[0], k.data[1]};
  a->spec.commonEnvSeeds = common;
  a->spec.tasks = d.task > 0 ? tasks.data : nullptr;
  a->params = params.data;
  a->out = es::RolloutOut{returns.data, lengths.data, desc.data};
  // An optional tenth argument past the scalars (not in the table's signature: callers without it
  // keep working): the action statistics buffer, or an empty array for none.
  if (info.Length() > 9 && !info[9].IsUndefined())
    a->out.actionStats = optionalTypedArray<float>(info, 9, "actionStats", members * actionWidth);
}

}  // namespace

// esRolloutPolicies and its Async twin, registered by es.cc's table.
void EsRolloutPolicies(const Info& info) {
  RolloutArgs a;
  readArgs(info, &a);
  es::rolloutPopulation(a.spec, a.params, a.out);
}

Napi::Value EsRolloutPoliciesAsync(const Info& info) {
  auto a = std::make_shared<RolloutArgs>();
  readArgs(info, a.get());
  return PromiseWorker::Start(info, [a] { es::rolloutPopulation(a->spec, a->params, a->out); }, nullptr);
}

}  // namespace ol::napi
