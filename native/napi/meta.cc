// meta: N-API glue for the batched gradient-based meta-learning kernels (native/core/meta/meta.h).
// The table at the bottom names each export and its JS signature (src/backend/kernels/meta.ts).
// Targets are a Float32Array [rows x out] for loss 'mse' or an Int32Array of labels [rows] for
// 'crossEntropy'; outputs are overwritten.
#include <string>

#include "core/meta/meta.h"
#include "core/nn/mlp.h"
#include "napi/args.h"
#include "napi/fields.h"
#include "napi/kernel.h"
#include "napi/mlp_arg.h"
#include "napi/register.h"

namespace ol::napi {

namespace {

constexpr int64_t kMaxClasses = 1024;  // the cross-entropy kernel keeps one row's softmax on the stack
constexpr int64_t kMaxSteps = 1 << 16;

constexpr const char* kLosses[] = {"mse", "crossEntropy"};                          // meta::Loss order
constexpr const char* kModes[] = {"secondOrder", "firstOrder", "reptile", "implicit"};  // meta::Mode order

float* optionalArray(const Info& info, size_t index, const char* name, size_t length) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return typedArray<float>(info, index, name, length).data;
}

// The inner-loop scalars (loss, steps, lambda) of the scalars object at `index`.
struct Inner {
  meta::Loss loss;
  int steps;
  float lambda;
};
Inner innerScalars(const Info& info, size_t index, const ScalarsArg& s, int minSteps) {
  Inner r;
  r.loss = static_cast<meta::Loss>(nameField(info, index, "scalars", "loss", kLosses));
  r.steps = static_cast<int>(integerField(info.Env(), s, "scalars", "steps", minSteps, kMaxSteps));
  double lambda = s.number("lambda");
  if (lambda < 0) throwRange(info.Env(), "scalars.lambda: expected >= 0");
  r.lambda = static_cast<float>(lambda);
  return r;
}

// lr (argument `index`): one rate or one per parameter, each finite.
meta::InnerConfig innerArg(const Info& info, size_t index, const MlpArg& s, const Inner& in) {
  ArrayArg<float> lr = typedArray<float>(info, index, "lr");
  if (lr.length != 1 && lr.length != s.params)
    throwRange(info.Env(),
               "lr: expected length 1 or " + std::to_string(s.params) + ", got " + std::to_string(lr.length));
  for (size_t i = 0; i < lr.length; ++i)
    if (!std::isfinite(lr.data[i])) throwRange(info.Env(), "lr[" + std::to_string(i) + "]: expected a finite number");
  if (in.loss == meta::Loss::CrossEntropy && (s.out < 2 || static_cast<int64_t>(s.out) > kMaxClasses))
    throwRange(info.Env(), "sizes: cross-entropy needs 2 to " + std::to_string(kMaxClasses) + " outputs, got " +
                               std::to_string(s.out));
  return meta::InnerConfig{in.loss, in.steps, lr.data, lr.length, in.lambda};
}

// Row counts from the scalars object.
struct Rows {
  int tasks;
  size_t supportRows, queryRows;
};
Rows rowScalars(Napi::Env env, const ScalarsArg& s) {
  Rows r;
  r.tasks = static_cast<int>(integerField(env, s, "scalars", "tasks", 1, 1 << 24));
  r.supportRows = static_cast<size_t>(integerField(env, s, "scalars", "supportRows", 1, kMaxElements));
  r.queryRows = static_cast<size_t>(integerField(env, s, "scalars", "queryRows", 0, kMaxElements));
  return r;
}

// supportX, supportY, queryX, queryY at first .. first+3.
meta::TaskSet tasksArg(const Info& info, size_t first, const MlpArg& s, meta::Loss loss, const Rows& rows) {
  const int tasks = rows.tasks;
  const size_t sRows = rows.supportRows, qRows = rows.queryRows;
  double widest = static_cast<double>(std::max(s.in, s.out));
  if (static_cast<double>(tasks) * static_cast<double>(sRows + qRows) * widest > static_cast<double>(kMaxElements))
    throwRange(info.Env(), "scalars.tasks: too many rows");
  size_t T = static_cast<size_t>(tasks);
  const float* sx = typedArray<float>(info, first, "supportX", T * sRows * s.in).data;
  const float* qx = qRows ? typedArray<float>(info, first + 2, "queryX", T * qRows * s.in).data : nullptr;
  meta::Targets st{nullptr, nullptr}, qt{nullptr, nullptr};
  if (loss == meta::Loss::Mse) {
    st.values = typedArray<float>(info, first + 1, "supportY", T * sRows * s.out).data;
    if (qRows) qt.values = typedArray<float>(info, first + 3, "queryY", T * qRows * s.out).data;
  } else {
    auto checkLabels = [&](size_t index, const char* name, size_t n) {
      const int32_t* l = typedArray<int32_t>(info, index, name, n).data;
      for (size_t i = 0; i < n; ++i)
        if (l[i] < 0 || static_cast<size_t>(l[i]) >= s.out)
          throwRange(info.Env(), std::string(name) + "[" + std::to_string(i) + "]: expected a label in [0, " +
                                     std::to_string(s.out) + "), got " + std::to_string(l[i]));
      return l;
    };
    st.labels = checkLabels(first + 1, "supportY", T * sRows);
    if (qRows) qt.labels = checkLabels(first + 3, "queryY", T * qRows);
  }
  return meta::TaskSet{tasks, sRows, qRows, sx, st, qx, qt};
}

void MetaGradBatch(const Info& info) {
  // The scalars first: a getter must not detach a buffer already held.
  ScalarsArg sc(info, 11, "scalars");
  MlpArg s = mlpArg(info, 0, sc, "scalars");
  Inner in = innerScalars(info, 11, sc, 1);
  auto mode = static_cast<meta::Mode>(nameField(info, 11, "scalars", "mode", kModes));
  if (mode != meta::Mode::Implicit && in.lambda != 0.0f)
    throwRange(info.Env(), "scalars.lambda: only mode 'implicit' takes a proximal term");
  if (mode == meta::Mode::Implicit && !(in.lambda > 0.0f))
    throwRange(info.Env(), "scalars.lambda: mode 'implicit' needs lambda > 0");
  auto cgSteps = static_cast<int>(integerField(info.Env(), sc, "scalars", "cgSteps", 0, kMaxSteps));
  Rows rows = rowScalars(info.Env(), sc);
  if (rows.queryRows == 0 && mode != meta::Mode::Reptile)
    throwRange(info.Env(), "scalars.queryRows: expected >= 1 (the meta-gradient is the query loss's)");
  const float* params = typedArray<float>(info, 1, "params", s.params).data;
  meta::InnerConfig inner = innerArg(info, 2, s, in);
  meta::TaskSet ts = tasksArg(info, 3, s, inner.loss, rows);
  size_t T = static_cast<size_t>(ts.tasks);
  float* grad = typedArray<float>(info, 7, "grad", s.params).data;
  float* lrGrad = optionalArray(info, 8, "lrGrad", inner.lrCount);
  float* pre = optionalArray(info, 9, "lossPre", T);
  float* post = optionalArray(info, 10, "lossPost", T);
  meta::metaGradBatch(s.spec, params, ts, inner, mode, cgSteps, grad, lrGrad, pre, post);
}

void MetaAdaptEvaluate(const Info& info) {
  ScalarsArg sc(info, 9, "scalars");
  MlpArg s = mlpArg(info, 0, sc, "scalars");
  Inner in = innerScalars(info, 9, sc, 0);
  Rows rows = rowScalars(info.Env(), sc);
  const float* params = typedArray<float>(info, 1, "params", s.params).data;
  meta::InnerConfig inner = innerArg(info, 2, s, in);
  meta::TaskSet ts = tasksArg(info, 3, s, inner.loss, rows);
  size_t T = static_cast<size_t>(ts.tasks);
  float* losses = optionalArray(info, 7, "losses", T * (static_cast<size_t>(inner.steps) + 1));
  if (losses && ts.queryRows == 0) throwRange(info.Env(), "losses: needs scalars.queryRows >= 1");
  float* adapted = optionalArray(info, 8, "adapted", T * s.params);
  meta::adaptEvaluateBatch(s.spec, params, ts, inner, losses, adapted);
}

}  // namespace

void RegisterMeta(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"metaGradBatch(sizes: Int32Array, params, lr, supportX, supportY, queryX, queryY, grad, lrGrad | null, "
       "lossPre | null, lossPost | null, scalars: MetaGradScalars)", MetaGradBatch},
      {"metaAdaptEvaluate(sizes: Int32Array, params, lr, supportX, supportY, queryX, queryY, losses | null, "
       "adapted | null, scalars: MetaAdaptScalars)", MetaAdaptEvaluate},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
