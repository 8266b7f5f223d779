// rl: N-API glue for the policy-gradient objectives and action sampling (native/core/rl). The
// table at the bottom names each export and its JS signature (src/backend/kernels/rl.ts).
#include <string>

#include "core/rl/objective.h"
#include "napi/args.h"
#include "napi/fields.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

constexpr int64_t kMaxRows = 1LL << 31;
constexpr const char* kObjectives[] = {"clip", "dpo", "mdpo", "pg", "lpo"};  // in the order of rl::Objective

// rows * cols elements, checked against the typed-array limit.
size_t elements(Napi::Env env, int64_t rows, int64_t cols, const char* name) {
  if (rows * cols > kMaxElements) throwRange(env, std::string(name) + ": batch x width exceeds 2^32 - 1 elements");
  return static_cast<size_t>(rows * cols);
}

void checkActions(Napi::Env env, const int32_t* actions, size_t batch, size_t n) {
  for (size_t i = 0; i < batch; ++i)
    if (actions[i] < 0 || static_cast<size_t>(actions[i]) >= n)
      throwRange(env, "actions: expected integers in [0, " + std::to_string(n - 1) + "], got " +
                          std::to_string(actions[i]) + " at " + std::to_string(i));
}

// The options object (RlObjectiveOptions); the coefficients an objective does not use are not read.
rl::ObjectiveConfig optionsArg(const Info& info, size_t index) {
  ScalarsArg s(info, index, "options");
  rl::ObjectiveConfig c{};
  c.objective = static_cast<rl::Objective>(nameField(info, index, "options", "objective", kObjectives));
  c.clipEps = s.number("clipEps");
  c.entCoef = s.number("entCoef");
  c.normalizeAdv = s.boolean("normalizeAdv");
  if (!(c.clipEps >= 0)) throwRange(info.Env(), "options.clipEps: expected >= 0");
  if (c.objective == rl::kDpo) {
    c.dpoAlpha = s.number("dpoAlpha");
    c.dpoBeta = s.number("dpoBeta");
    if (!(c.dpoAlpha > 0) || !(c.dpoBeta > 0)) throwRange(info.Env(), "options: dpoAlpha and dpoBeta must be > 0");
  }
  if (c.objective == rl::kMdpo) c.klCoef = s.number("klCoef");
  if (c.objective == rl::kLpo) {
    // The drift network: its weights, hidden widths, whether temporal, and the training progress.
    Napi::Env env = info.Env();
    Napi::Object o = info[index].As<Napi::Object>();
    auto hidden = typedArrayValue<int32_t>(env, o.Get("driftHidden"), "options.driftHidden");
    if (hidden.length == 0 || hidden.length > 64) throwRange(env, "options.driftHidden: expected 1 to 64 widths");
    for (size_t l = 0; l < hidden.length; ++l)
      if (hidden.data[l] < 1 || hidden.data[l] > 4096)
        throwRange(env, "options.driftHidden: expected widths in [1, 4096], got " + std::to_string(hidden.data[l]));
    c.drift.hidden = hidden.data;
    c.drift.layers = static_cast<int32_t>(hidden.length);
    c.drift.temporal = s.boolean("driftTemporal");
    c.drift.progress = s.number("driftProgress");
    if (!(c.drift.progress >= 0 && c.drift.progress <= 1)) throwRange(env, "options.driftProgress: expected [0, 1]");
    auto theta = typedArrayValue<float>(env, o.Get("driftTheta"), "options.driftTheta");
    const int64_t size = rl::driftSize(hidden.data, c.drift.layers, c.drift.temporal);
    if (static_cast<int64_t>(theta.length) != size)
      throwRange(env, "options.driftTheta: expected " + std::to_string(size) + " weights (the drift's size), got " +
                          std::to_string(theta.length));
    c.drift.theta = theta.data;
  }
  return c;
}

// The stats Float64Array (an RlPolicyStats), filled in rl::PolicyStats's order.
double* statsArg(const Info& info, size_t index) {
  constexpr size_t kNumStats = sizeof(rl::PolicyStats) / sizeof(double);
  return typedArray<double>(info, index, "stats", kNumStats).data;
}
void writeStats(const rl::PolicyStats& s, double* out) {
  const double values[] = {s.surrogateLoss, s.entropy, s.approxKl, s.clipFraction, s.klToOld, s.policyLoss};
  for (size_t i = 0; i < sizeof(values) / sizeof(double); ++i) out[i] = values[i];
}

// What both objectives read first: the options (before any buffer, so that a getter cannot detach
// a buffer already held), then the stats and the advantages, whose length is the batch. The stats
// and the options are the last two arguments.
struct ObjectiveArgs {
  rl::ObjectiveConfig config;
  double* stats;
  ArrayArg<float> adv;
};
ObjectiveArgs objectiveArgs(const Info& info, size_t advantagesAt, size_t statsAt) {
  // A braced list is evaluated in order: the options are read first.
  ObjectiveArgs a{optionsArg(info, statsAt + 1), statsArg(info, statsAt),
                  typedArray<float>(info, advantagesAt, "advantages")};
  if (a.adv.length == 0) throwRange(info.Env(), "advantages: expected at least one row");
  return a;
}

// The batch is advantages.length; numActions is logits.length / batch.
void CategoricalObjective(const Info& info) {
  Napi::Env env = info.Env();
  const auto [c, stats, adv] = objectiveArgs(info, 3, 6);
  const size_t batch = adv.length;
  auto logits = typedArray<float>(info, 0, "logits");
  if (logits.length < batch || logits.length % batch != 0)
    throwRange(env, "logits: expected batch x numActions values (batch = advantages.length = " +
                        std::to_string(batch) + "), got " + std::to_string(logits.length));
  const size_t n = logits.length / batch;
  auto actions = typedArray<int32_t>(info, 1, "actions", batch);
  auto oldLogp = typedArray<float>(info, 2, "oldLogp", batch);
  const float* oldLogits = optionalTypedArray<float>(info, 4, "oldLogits", logits.length);
  auto dLogits = typedArray<float>(info, 5, "dLogits", logits.length);
  checkActions(env, actions.data, batch, n);
  writeStats(rl::categoricalObjective(c, static_cast<int64_t>(batch), static_cast<int64_t>(n), logits.data,
                                      actions.data, oldLogp.data, adv.data, oldLogits, dLogits.data),
             stats);
}

// The batch is advantages.length; dim is logStd.length.
void GaussianObjective(const Info& info) {
  Napi::Env env = info.Env();
  const auto [c, stats, adv] = objectiveArgs(info, 4, 9);
  const size_t batch = adv.length;
  auto logStd = typedArray<float>(info, 1, "logStd");
  if (logStd.length == 0) throwRange(env, "logStd: expected at least one action dimension");
  const size_t dim = logStd.length;
  const size_t bd = elements(env, static_cast<int64_t>(batch), static_cast<int64_t>(dim), "mean");
  auto mean = typedArray<float>(info, 0, "mean", bd);
  auto actions = typedArray<float>(info, 2, "actions", bd);
  auto oldLogp = typedArray<float>(info, 3, "oldLogp", batch);
  const float* oldMean = optionalTypedArray<float>(info, 5, "oldMean", bd);
  const float* oldLogStd = optionalTypedArray<float>(info, 6, "oldLogStd", dim);
  auto dMean = typedArray<float>(info, 7, "dMean", bd);
  auto dLogStd = typedArray<float>(info, 8, "dLogStd", dim);
  writeStats(rl::gaussianObjective(c, static_cast<int64_t>(batch), static_cast<int64_t>(dim), mean.data, logStd.data,
                                   actions.data, oldLogp.data, adv.data, oldMean, oldLogStd, dMean.data, dLogStd.data),
             stats);
}

Napi::Value ValueLoss(const Info& info) {
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxElements);
  auto b = static_cast<size_t>(batch);
  auto values = typedArray<float>(info, 1, "values", b);
  auto oldValues = typedArray<float>(info, 2, "oldValues", b);
  auto returns = typedArray<float>(info, 3, "returns", b);
  double clipEps = number(info, 4, "clipEps");
  double vfCoef = number(info, 5, "vfCoef");
  auto dValues = typedArray<float>(info, 6, "dValues", b);
  double loss = rl::valueLoss(batch, values.data, oldValues.data, returns.data, clipEps, vfCoef, dValues.data);
  return Napi::Number::New(env, loss);
}

void CategoricalSample(const Info& info) {
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxRows);
  int64_t n = integer(info, 1, "numActions", 1, kMaxRows);
  auto logits = typedArray<float>(info, 2, "logits", elements(env, batch, n, "logits"));
  const float* uniforms = optionalTypedArray<float>(info, 3, "uniforms", static_cast<size_t>(batch));
  auto actions = typedArray<int32_t>(info, 4, "actions", static_cast<size_t>(batch));
  auto logp = typedArray<float>(info, 5, "logp", static_cast<size_t>(batch));
  rl::categoricalSample(batch, n, logits.data, uniforms, actions.data, logp.data);
}

void GaussianSample(const Info& info) {
  Napi::Env env = info.Env();
  int64_t batch = integer(info, 0, "batch", 1, kMaxRows);
  int64_t dim = integer(info, 1, "dim", 1, kMaxRows);
  size_t bd = elements(env, batch, dim, "mean");
  auto mean = typedArray<float>(info, 2, "mean", bd);
  auto logStd = typedArray<float>(info, 3, "logStd", static_cast<size_t>(dim));
  const float* normals = optionalTypedArray<float>(info, 4, "normals", bd);
  auto actions = typedArray<float>(info, 5, "actions", bd);
  auto logp = typedArray<float>(info, 6, "logp", static_cast<size_t>(batch));
  rl::gaussianSample(batch, dim, mean.data, logStd.data, normals, actions.data, logp.data);
}

}  // namespace

void RegisterRl(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"rlCategoricalObjective(logits, actions: Int32Array, oldLogp, advantages, oldLogits?, dLogits, "
       "stats: RlPolicyStats, options: RlObjectiveOptions)", CategoricalObjective},
      {"rlGaussianObjective(mean, logStd, actions, oldLogp, advantages, oldMean?, oldLogStd?, dMean, dLogStd, "
       "stats: RlPolicyStats, options: RlObjectiveOptions)", GaussianObjective},
      {"rlValueLoss(batch, values, oldValues, returns, clipEps, vfCoef, dValues): number", ValueLoss},
      {"rlCategoricalSample(batch, numActions, logits, uniforms?, actions: Int32Array, logp)", CategoricalSample},
      {"rlGaussianSample(batch, dim, mean, logStd, normals?, actions, logp)", GaussianSample},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
