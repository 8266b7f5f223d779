// rl: N-API glue for the policy-gradient objectives and action sampling (native/core/rl).
// JS signatures (see src/backend/kernels/rl.ts):
//   rlCategoricalObjective(objective, batch, numActions, logits, actions, oldLogp, advantages,
//                          oldLogits, coefs: Float64Array, dLogits, stats: Float64Array): void
//   rlGaussianObjective(objective, batch, dim, mean, logStd, actions, oldLogp, advantages,
//                       oldMean, oldLogStd, coefs, dMean, dLogStd, stats): void
//   rlValueLoss(batch, values, oldValues, returns, clipEps, vfCoef, dValues, stats): void
//   rlCategoricalSample(batch, numActions, logits, uniforms, actions, logp): void
//   rlGaussianSample(batch, dim, mean, logStd, normals, actions, logp): void
#include <string>

#include "core/rl/objective.h"
#include "napi/args.h"
#include "napi/register.h"

namespace ol::napi {
void RegisterRl(Napi::Env env, Napi::Object exports);

namespace {

constexpr int64_t kMaxRows = 1LL << 31;

int32_t objectiveArg(const Napi::CallbackInfo& info, size_t index) {
  return static_cast<int32_t>(integer(info, index, "objective", rl::kClip, rl::kPg));
}

// rows * cols elements, checked against the typed-array limit.
size_t elements(Napi::Env env, int64_t rows, int64_t cols, const char* name) {
  if (rows * cols > kMaxElements) throwRange(env, std::string(name) + ": batch x width exceeds 2^32 - 1 elements");
  return static_cast<size_t>(rows * cols);
}

// Either empty (not used) or exactly `length` long.
template <typename T>
const T* optionalArray(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  ArrayArg<T> a = typedArray<T>(info, index, name);
  if (a.length == 0) return nullptr;
  requireLength(info.Env(), a.length, length, name);
  return a.data;
}

void checkActions(Napi::Env env, const int32_t* actions, int64_t batch, int64_t n) {
  for (int64_t i = 0; i < batch; ++i)
    if (actions[i] < 0 || actions[i] >= n)
      throwRange(env, "actions: expected integers in [0, " + std::to_string(n - 1) + "], got " +
                          std::to_string(actions[i]) + " at " + std::to_string(i));
}

void checkCoefs(Napi::Env env, const double* c) {
  if (!(c[rl::kClipEps] >= 0)) throwRange(env, "coefs: clipEps must be >= 0");
  if (!(c[rl::kDpoAlpha] > 0) || !(c[rl::kDpoBeta] > 0)) throwRange(env, "coefs: dpo alpha and beta must be > 0");
}

Napi::Value CategoricalObjective(const Napi::CallbackInfo& info) {
  requireArgs(info, 11, "rlCategoricalObjective");
  Napi::Env env = info.Env();
  int32_t objective = objectiveArg(info, 0);
  int64_t batch = integer(info, 1, "batch", 1, kMaxRows);
  int64_t n = integer(info, 2, "numActions", 1, kMaxRows);
  size_t bn = elements(env, batch, n, "logits");
  auto logits = typedArray<float>(info, 3, "logits", bn);
  auto actions = typedArray<int32_t>(info, 4, "actions", static_cast<size_t>(batch));
  auto oldLogp = typedArray<float>(info, 5, "oldLogp", static_cast<size_t>(batch));
  auto adv = typedArray<float>(info, 6, "advantages", static_cast<size_t>(batch));
  const float* oldLogits = optionalArray<float>(info, 7, "oldLogits", bn);
  auto coefs = typedArray<double>(info, 8, "coefs", rl::kNumCoefs);
  auto dLogits = typedArray<float>(info, 9, "dLogits", bn);
  auto stats = typedArrayAtLeast<double>(info, 10, "stats", rl::kNumStats);
  checkActions(env, actions.data, batch, n);
  checkCoefs(env, coefs.data);
  rl::categoricalObjective(objective, batch, n, logits.data, actions.data, oldLogp.data, adv.data, oldLogits,
                           coefs.data, dLogits.data, stats.data);
  return env.Undefined();
}

Napi::Value GaussianObjective(const Napi::CallbackInfo& info) {
  requireArgs(info, 14, "rlGaussianObjective");
  Napi::Env env = info.Env();
  int32_t objective = objectiveArg(info, 0);
  int64_t batch = integer(info, 1, "batch", 1, kMaxRows);
  int64_t dim = integer(info, 2, "dim", 1, kMaxRows);
  size_t bd = elements(env, batch, dim, "mean");
  auto mean = typedArray<float>(info, 3, "mean", bd);
  auto logStd = typedArray<float>(info, 4, "logStd", static_cast<size_t>(dim));
  auto actions = typedArray<float>(info, 5, "actions", bd);
  auto oldLogp = typedArray<float>(info, 6, "oldLogp", static_cast<size_t>(batch));
  auto adv = typedArray<float>(info, 7, "advantages", static_cast<size_t>(batch));
  const float* oldMean = optionalArray<float>(info, 8, "oldMean", bd);
  const float* oldLogStd = optionalArray<float>(info, 9, "oldLogStd", static_cast<size_t>(dim));
  auto coefs = typedArray<double>(info, 10, "coefs", rl::kNumCoefs);
  auto dMean = typedArray<float>(info, 11, "dMean", bd);
  auto dLogStd = typedArray<float>(info, 12, "dLogStd", static_cast<size_t>(dim));
  auto stats = typedArrayAtLeast<double>(info, 13, "stats", rl::kNumStats);
  checkCoefs(env, coefs.data);
  rl::gaussianObjective(objective, batch, dim, mean.data, logStd.data, actions.data, oldLogp.data, adv.data, oldMean,
                        oldLogStd, coefs.data, dMean.data, dLogStd.data, stats.data);
  return env.Undefined();
}

Napi::Value ValueLoss(const Napi::CallbackInfo& info) {
  requireArgs(info, 8, "rlValueLoss");
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxElements);
  auto b = static_cast<size_t>(batch);
  auto values = typedArray<float>(info, 1, "values", b);
  auto oldValues = typedArray<float>(info, 2, "oldValues", b);
  auto returns = typedArray<float>(info, 3, "returns", b);
  double clipEps = number(info, 4, "clipEps");
  double vfCoef = number(info, 5, "vfCoef");
  auto dValues = typedArray<float>(info, 6, "dValues", b);
  auto stats = typedArrayAtLeast<double>(info, 7, "stats", 1);
  rl::valueLoss(batch, values.data, oldValues.data, returns.data, clipEps, vfCoef, dValues.data, stats.data);
  return env.Undefined();
}

Napi::Value CategoricalSample(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "rlCategoricalSample");
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxRows);
  int64_t n = integer(info, 1, "numActions", 1, kMaxRows);
  auto logits = typedArray<float>(info, 2, "logits", elements(env, batch, n, "logits"));
  const float* uniforms = optionalArray<float>(info, 3, "uniforms", static_cast<size_t>(batch));
  auto actions = typedArray<int32_t>(info, 4, "actions", static_cast<size_t>(batch));
  auto logp = typedArray<float>(info, 5, "logp", static_cast<size_t>(batch));
  rl::categoricalSample(batch, n, logits.data, uniforms, actions.data, logp.data);
  return env.Undefined();
}

Napi::Value GaussianSample(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "rlGaussianSample");
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxRows);
  int64_t dim = integer(info, 1, "dim", 1, kMaxRows);
  size_t bd = elements(env, batch, dim, "mean");
  auto mean = typedArray<float>(info, 2, "mean", bd);
  auto logStd = typedArray<float>(info, 3, "logStd", static_cast<size_t>(dim));
  const float* normals = optionalArray<float>(info, 4, "normals", bd);
  auto actions = typedArray<float>(info, 5, "actions", bd);
  auto logp = typedArray<float>(info, 6, "logp", static_cast<size_t>(batch));
  rl::gaussianSample(batch, dim, mean.data, logStd.data, normals, actions.data, logp.data);
  return env.Undefined();
}

}  // namespace

void RegisterRl(Napi::Env env, Napi::Object exports) {
  exports.Set("rlCategoricalObjective", Napi::Function::New(env, CategoricalObjective, "rlCategoricalObjective"));
  exports.Set("rlGaussianObjective", Napi::Function::New(env, GaussianObjective, "rlGaussianObjective"));
  exports.Set("rlValueLoss", Napi::Function::New(env, ValueLoss, "rlValueLoss"));
  exports.Set("rlCategoricalSample", Napi::Function::New(env, CategoricalSample, "rlCategoricalSample"));
  exports.Set("rlGaussianSample", Napi::Function::New(env, GaussianSample, "rlGaussianSample"));
}

}  // namespace ol::napi
