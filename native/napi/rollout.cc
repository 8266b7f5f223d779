// rollout: N-API glue for batched policy rollouts and GAE (native/core/rollout). The table at the
// bottom names each export and its JS signature; the rollout's arguments object is described
// field by field in src/backend/kernels/rollout.ts and native/core/rollout/rollout.h.
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
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

// Every field of a rollout's arguments object. All are read (getters run) before any buffer is
// looked at, so a getter cannot detach a buffer the kernel already holds.
#define OL_ROLLOUT_FIELDS(X)                                                                                  \
  X(steps) X(counter) X(valueMode) X(policyHidden) X(valueHidden) X(clipObs) X(config) X(state) X(tasks)      \
  X(elapsed) X(rng) X(obs) X(key) X(policySizes) X(policyParams) X(logStd) X(valueSizes) X(valueParams)       \
  X(actionLow) X(actionHigh) X(obsStats) X(trajObs) X(actions) X(logProbs) X(heads) X(values) X(rewards)      \
  X(terminated) X(truncated) X(finalValues) X(lastValues) X(episodeReturn) X(episodeLength) X(doneReturn)     \
  X(doneLength)

enum Field : int {
#define OL_FIELD_ENUM(n) n##Field,
  OL_ROLLOUT_FIELDS(OL_FIELD_ENUM)
#undef OL_FIELD_ENUM
  kNumFields
};
constexpr const char* kFieldNames[] = {
#define OL_FIELD_NAME(n) #n,
    OL_ROLLOUT_FIELDS(OL_FIELD_NAME)
#undef OL_FIELD_NAME
};

class Fields {
 public:
  explicit Fields(Napi::Value v) : env_(v.Env()) {
    if (!v.IsObject() || v.IsTypedArray() || v.IsArray() || v.IsFunction())
      throwType(env_, "rolloutRun: expected an arguments object");
    Napi::Object o = v.As<Napi::Object>();
    for (int k = 0; k < kNumFields; ++k) values_[k] = o.Get(kFieldNames[k]);
  }
  Napi::Env env() const { return env_; }

  template <typename T>
  ArrayArg<T> array(Field k) const {
    return typedArrayValue<T>(env_, values_[k], kFieldNames[k]);
  }
  template <typename T>
  T* array(Field k, size_t length) const {
    ArrayArg<T> a = array<T>(k);
    requireLength(env_, a.length, length, kFieldNames[k]);
    return a.data;
  }
  // An optional buffer: empty means absent (nullptr), otherwise it must have `length` elements.
  template <typename T>
  T* optional(Field k, size_t length) const {
    ArrayArg<T> a = array<T>(k);
    if (a.length == 0) return nullptr;
    requireLength(env_, a.length, length, kFieldNames[k]);
    return a.data;
  }
  int64_t integer(Field k, int64_t min, int64_t max) const {
    const char* name = kFieldNames[k];
    if (!values_[k].IsNumber()) throwType(env_, std::string(name) + ": expected an integer");
    double d = values_[k].As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max))
      throwRange(env_, std::string(name) + ": expected an integer in [" + std::to_string(min) + ", " +
                           std::to_string(max) + "], got " + std::to_string(d));
    return static_cast<int64_t>(d);
  }
  double positive(Field k) const {
    const char* name = kFieldNames[k];
    if (!values_[k].IsNumber()) throwType(env_, std::string(name) + ": expected a number");
    double d = values_[k].As<Napi::Number>().DoubleValue();
    if (!(d > 0)) throwRange(env_, std::string(name) + ": expected a positive number, got " + std::to_string(d));
    return d;
  }
  rollout::ValueMode valueMode() const {
    Napi::Value v = values_[valueModeField];
    std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
    if (s == "none") return rollout::ValueMode::None;
    if (s == "head") return rollout::ValueMode::Head;
    if (s == "separate") return rollout::ValueMode::Separate;
    throwType(env_, "valueMode: expected 'none', 'head' or 'separate'");
  }

 private:
  Napi::Env env_;
  Napi::Value values_[kNumFields];
};

// Owns the sizes array copy so the spec stays valid in async work.
struct NetArg {
  std::vector<int32_t> sizes;
  rollout::Net net{};
};

void readNet(const Fields& f, Field sizesField, Field hiddenField, Field paramsField, size_t in, size_t out,
             NetArg* dst) {
  Napi::Env env = f.env();
  const char* sizesName = kFieldNames[sizesField];
  ArrayArg<int32_t> sizes = f.array<int32_t>(sizesField);
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
  auto hidden = static_cast<int>(f.integer(hiddenField, 0, nn::kNumActivations - 1));
  nn::MlpSpec spec{dst->sizes.data(), static_cast<int>(dst->sizes.size()) - 1, static_cast<nn::Activation>(hidden),
                   nn::Activation::Identity};
  dst->net = rollout::Net{spec, f.array<float>(paramsField, nn::mlpParamCount(spec))};
}

struct Parsed {
  rollout::RolloutArgs args{};
  NetArg policy, value;
};

std::unique_ptr<Parsed> parseArgs(Napi::Value v) {
  const Fields f(v);
  Napi::Env env = f.env();
  auto p = std::make_unique<Parsed>();
  rollout::RolloutArgs& a = p->args;
  if (const char* err = envs::parseConfig(f.array<int32_t>(configField, envs::kConfigLength), &a.cfg))
    throwRange(env, err);
  const envs::Dims d = envs::dims(a.cfg);
  ArrayArg<int32_t> elapsed = f.array<int32_t>(elapsedField);
  const size_t N = elapsed.length;
  if (N == 0) throwRange(env, "elapsed: expected at least one env (length >= 1)");
  a.env = envs::Batch{N, f.array<float>(stateField, d.state * N), f.array<float>(tasksField, d.task * N), elapsed.data,
                      f.array<uint32_t>(rngField, 4 * N)};
  a.obs = f.array<float>(obsField, d.obs * N);
  const auto T = static_cast<size_t>(f.integer(stepsField, 1, 1 << 24));
  if (T * N > static_cast<size_t>(kMaxElements)) throwRange(env, "steps: steps x numEnvs is too large");
  a.T = T;
  const uint32_t* key = f.array<uint32_t>(keyField, 2);
  a.key = rng::Key{key[0], key[1]};
  a.counter = static_cast<uint64_t>(f.integer(counterField, 0, kMaxSafeInteger));
  a.valueMode = f.valueMode();
  const bool discrete = d.discrete > 0;
  const size_t k = discrete ? static_cast<size_t>(d.discrete) : d.action;
  readNet(f, policySizesField, policyHiddenField, policyParamsField, d.obs,
          k + (a.valueMode == rollout::ValueMode::Head ? 1 : 0), &p->policy);
  a.policy = p->policy.net;
  a.logStd = f.array<float>(logStdField, discrete ? 0 : d.action);
  if (a.valueMode == rollout::ValueMode::Separate) {
    readNet(f, valueSizesField, valueHiddenField, valueParamsField, d.obs, 1, &p->value);
    a.value = p->value.net;
  }
  a.actionLow = f.optional<float>(actionLowField, discrete ? 0 : d.action);
  a.actionHigh = f.optional<float>(actionHighField, discrete ? 0 : d.action);
  if ((a.actionLow == nullptr) != (a.actionHigh == nullptr))
    throwRange(env, "actionLow, actionHigh: expected both (the action box) or neither");
  a.obsStats = f.optional<double>(obsStatsField, 1 + 2 * d.obs);
  if (a.obsStats) a.clipObs = f.positive(clipObsField);
  const size_t TN = T * N;
  a.trajObs = f.array<float>(trajObsField, TN * d.obs);
  if (discrete)
    a.actions = f.array<int32_t>(actionsField, TN);
  else
    a.actions = f.array<float>(actionsField, TN * d.action);
  a.logProbs = f.array<float>(logProbsField, TN);
  a.heads = f.optional<float>(headsField, TN * k);
  a.values = f.array<float>(valuesField, TN);
  a.rewards = f.array<float>(rewardsField, TN);
  a.terminated = f.array<uint8_t>(terminatedField, TN);
  a.truncated = f.array<uint8_t>(truncatedField, TN);
  a.finalValues = f.array<float>(finalValuesField, TN);
  a.lastValues = f.array<float>(lastValuesField, N);
  a.episodeReturn = f.array<float>(episodeReturnField, N);
  a.episodeLength = f.array<int32_t>(episodeLengthField, N);
  a.doneReturn = f.array<float>(doneReturnField, TN);
  a.doneLength = f.array<int32_t>(doneLengthField, TN);
  return p;
}

void Run(const Info& info) {
  std::unique_ptr<Parsed> p = parseArgs(info[0]);
  rollout::run(p->args);
}

Napi::Value RunAsync(const Info& info) {
  // The buffers are read from the object's fields; a frozen object keeps every one of them
  // referenced (and so alive) while the promise is pending.
  Napi::Object objectCtor = info.Env().Global().Get("Object").As<Napi::Object>();
  Napi::Value frozen = objectCtor.Get("isFrozen").As<Napi::Function>().Call({info[0]});
  if (!info[0].IsObject() || !frozen.ToBoolean().Value())
    throwType(info.Env(), "rolloutRunAsync: expected a frozen arguments object (Object.freeze)");
  std::shared_ptr<Parsed> p(parseArgs(info[0]).release());
  return PromiseWorker::Start(info, [p] { rollout::run(p->args); }, nullptr);
}

void Gae(const Info& info) {
  ScalarsArg s(info, 8, "scalars");
  rollout::GaeInput in{};
  in.gamma = s.f32("gamma");
  in.lambda = s.f32("lambda");
  ArrayArg<float> last = typedArray<float>(info, 5, "lastValues");
  const size_t N = last.length;
  if (N == 0) throwRange(info.Env(), "lastValues: expected at least one env (length >= 1)");
  ArrayArg<float> rewards = typedArray<float>(info, 0, "rewards");
  const size_t TN = rewards.length;
  if (TN == 0 || TN % N != 0)
    throwRange(info.Env(), "rewards: expected steps x numEnvs floats (a positive multiple of lastValues.length " +
                               std::to_string(N) + "), got " + std::to_string(TN));
  in.T = TN / N;
  in.N = N;
  in.rewards = rewards.data;
  in.values = typedArray<float>(info, 1, "values", TN).data;
  in.terminated = typedArray<uint8_t>(info, 2, "terminated", TN).data;
  in.truncated = typedArray<uint8_t>(info, 3, "truncated", TN).data;
  in.finalValues = typedArray<float>(info, 4, "finalValues", TN).data;
  in.lastValues = last.data;
  ArrayArg<float> adv = typedArray<float>(info, 6, "advantages");
  ArrayArg<float> ret = typedArray<float>(info, 7, "returns");
  if (adv.length != 0) requireLength(info.Env(), adv.length, TN, "advantages");
  if (ret.length != 0) requireLength(info.Env(), ret.length, TN, "returns");
  rollout::gae(in, adv.data, ret.data);
}

}  // namespace

void RegisterRollout(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"rolloutRun(args: RolloutArgs)", Run},
      {"rolloutRunAsync(args: frozen RolloutArgs): Promise<void>", RunAsync},
      {"gae(rewards, values, terminated, truncated, finalValues, lastValues, advantages?, returns?, "
       "scalars: GaeScalars)", Gae},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
