// meta: batched gradient-based meta-learning kernels (see native/core/meta/meta.h). The model
// comes first as in the nn family: sizes: Int32Array, hidden, output (Activation codes).
// JS signatures (Float32Array unless noted; targets are a Float32Array [rows x out] for loss 0
// (mse) or an Int32Array of labels [rows] for loss 1 (cross-entropy); outputs are overwritten):
//   metaGradBatch(sizes, hidden, output, params, lr, loss, steps, lambda, mode, cgSteps,
//                 tasks, supportRows, queryRows, supportX, supportY, queryX, queryY,
//                 grad, lrGrad | null, lossPre | null, lossPost | null)
//   metaAdaptEvaluate(sizes, hidden, output, params, lr, loss, steps, lambda,
//                     tasks, supportRows, queryRows, supportX, supportY, queryX, queryY,
//                     losses | null, adapted | null)
#include <string>
#include <vector>

#include "core/meta/meta.h"
#include "core/nn/mlp.h"
#include "napi/args.h"
#include "napi/mlp_arg.h"

namespace ol::napi {

void RegisterMeta(Napi::Env env, Napi::Object exports);

namespace {

constexpr int64_t kMaxClasses = 1024;  // the cross-entropy kernel keeps one row's softmax on the stack
constexpr int64_t kMaxSteps = 1 << 16;

// Widths and activations, checked in napi/mlp_arg.h.
using Spec = MlpArg;
inline Spec specArg(const Napi::CallbackInfo& info) { return mlpArg(info, 0); }

float* optionalArray(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return typedArray<float>(info, index, name, length).data;
}

// Inner-loop settings at indices first .. first+4: lr, loss, steps, lambda.
meta::InnerConfig innerArg(const Napi::CallbackInfo& info, size_t first, const Spec& s, int minSteps) {
  ArrayArg<float> lr = typedArray<float>(info, first, "lr");
  if (lr.length != 1 && lr.length != s.params)
    throwRange(info.Env(), "lr: expected length 1 or " + std::to_string(s.params) + ", got " + std::to_string(lr.length));
  for (size_t i = 0; i < lr.length; ++i)
    if (!std::isfinite(lr.data[i])) throwRange(info.Env(), "lr[" + std::to_string(i) + "]: expected a finite number");
  auto loss = static_cast<int>(integer(info, first + 1, "loss", 0, 1));
  if (loss == 1 && (s.out < 2 || static_cast<int64_t>(s.out) > kMaxClasses))
    throwRange(info.Env(), "sizes: cross-entropy needs 2 to " + std::to_string(kMaxClasses) + " outputs, got " +
                               std::to_string(s.out));
  auto steps = static_cast<int>(integer(info, first + 2, "steps", minSteps, kMaxSteps));
  double lambda = number(info, first + 3, "lambda");
  if (lambda < 0) throwRange(info.Env(), "lambda: expected >= 0");
  return meta::InnerConfig{static_cast<meta::Loss>(loss), steps, lr.data, lr.length, static_cast<float>(lambda)};
}

// tasks, supportRows, queryRows, supportX, supportY, queryX, queryY at first .. first+6.
meta::TaskSet tasksArg(const Napi::CallbackInfo& info, size_t first, const Spec& s, meta::Loss loss) {
  auto tasks = static_cast<int>(integer(info, first, "tasks", 1, 1 << 24));
  auto sRows = static_cast<size_t>(integer(info, first + 1, "supportRows", 1, kMaxElements));
  auto qRows = static_cast<size_t>(integer(info, first + 2, "queryRows", 0, kMaxElements));
  double widest = static_cast<double>(std::max(s.in, s.out));
  if (static_cast<double>(tasks) * static_cast<double>(sRows + qRows) * widest > static_cast<double>(kMaxElements))
    throwRange(info.Env(), "tasks: too many rows");
  size_t T = static_cast<size_t>(tasks);
  const float* sx = typedArray<float>(info, first + 3, "supportX", T * sRows * s.in).data;
  const float* qx = qRows ? typedArray<float>(info, first + 5, "queryX", T * qRows * s.in).data : nullptr;
  meta::Targets st{nullptr, nullptr}, qt{nullptr, nullptr};
  if (loss == meta::Loss::Mse) {
    st.values = typedArray<float>(info, first + 4, "supportY", T * sRows * s.out).data;
    if (qRows) qt.values = typedArray<float>(info, first + 6, "queryY", T * qRows * s.out).data;
  } else {
    auto checkLabels = [&](size_t index, const char* name, size_t n) {
      const int32_t* l = typedArray<int32_t>(info, index, name, n).data;
      for (size_t i = 0; i < n; ++i)
        if (l[i] < 0 || static_cast<size_t>(l[i]) >= s.out)
          throwRange(info.Env(), std::string(name) + "[" + std::to_string(i) + "]: expected a label in [0, " +
                                     std::to_string(s.out) + "), got " + std::to_string(l[i]));
      return l;
    };
    st.labels = checkLabels(first + 4, "supportY", T * sRows);
    if (qRows) qt.labels = checkLabels(first + 6, "queryY", T * qRows);
  }
  return meta::TaskSet{tasks, sRows, qRows, sx, st, qx, qt};
}

Napi::Value MetaGradBatch(const Napi::CallbackInfo& info) {
  requireArgs(info, 21, "metaGradBatch");
  Spec s = specArg(info);
  const float* params = typedArray<float>(info, 3, "params", s.params).data;
  meta::InnerConfig inner = innerArg(info, 4, s, 1);
  auto mode = static_cast<meta::Mode>(integer(info, 8, "mode", 0, 3));
  if (mode != meta::Mode::Implicit && inner.lambda != 0.0f)
    throwRange(info.Env(), "lambda: only the implicit mode (3) takes a proximal term");
  if (mode == meta::Mode::Implicit && !(inner.lambda > 0.0f))
    throwRange(info.Env(), "lambda: the implicit mode needs lambda > 0");
  auto cgSteps = static_cast<int>(integer(info, 9, "cgSteps", 0, kMaxSteps));
  meta::TaskSet ts = tasksArg(info, 10, s, inner.loss);
  if (ts.queryRows == 0 && mode != meta::Mode::Reptile)
    throwRange(info.Env(), "queryRows: expected >= 1 (the meta-gradient is the query loss's)");
  size_t T = static_cast<size_t>(ts.tasks);
  float* grad = typedArray<float>(info, 17, "grad", s.params).data;
  float* lrGrad = optionalArray(info, 18, "lrGrad", inner.lrCount);
  float* pre = optionalArray(info, 19, "lossPre", T);
  float* post = optionalArray(info, 20, "lossPost", T);
  meta::metaGradBatch(s.spec, params, ts, inner, mode, cgSteps, grad, lrGrad, pre, post);
  return info.Env().Undefined();
}

Napi::Value MetaAdaptEvaluate(const Napi::CallbackInfo& info) {
  requireArgs(info, 17, "metaAdaptEvaluate");
  Spec s = specArg(info);
  const float* params = typedArray<float>(info, 3, "params", s.params).data;
  meta::InnerConfig inner = innerArg(info, 4, s, 0);
  meta::TaskSet ts = tasksArg(info, 8, s, inner.loss);
  size_t T = static_cast<size_t>(ts.tasks);
  float* losses = optionalArray(info, 15, "losses", T * (static_cast<size_t>(inner.steps) + 1));
  if (losses && ts.queryRows == 0) throwRange(info.Env(), "losses: needs queryRows >= 1");
  float* adapted = optionalArray(info, 16, "adapted", T * s.params);
  meta::adaptEvaluateBatch(s.spec, params, ts, inner, losses, adapted);
  return info.Env().Undefined();
}

}  // namespace

void RegisterMeta(Napi::Env env, Napi::Object exports) {
  exports.Set("metaGradBatch", Napi::Function::New(env, MetaGradBatch, "metaGradBatch"));
  exports.Set("metaAdaptEvaluate", Napi::Function::New(env, MetaAdaptEvaluate, "metaAdaptEvaluate"));
}

}  // namespace ol::napi
