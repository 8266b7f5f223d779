// bilevel: N-API glue for the fused hypergradient evaluations (native/core/bilevel). Every shape
// and scalar is checked here, before the kernel runs, and each error names the argument.
#include <string>

#include "core/bilevel/hypergrad.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

struct Shapes {
  size_t n, m, d;
};

// n from yTrain, d from xTrain, m from yVal; xVal must be [m × d].
template <typename Y>
Shapes shapesOf(const Info& info, ArrayArg<float> xt, ArrayArg<Y> yt, ArrayArg<float> xv, ArrayArg<Y> yv) {
  if (yt.length == 0) throwRange(info.Env(), "yTrain: expected at least one row");
  if (xt.length == 0 || xt.length % yt.length != 0)
    throwRange(info.Env(), "xTrain: expected length n·d with n = yTrain.length = " + std::to_string(yt.length));
  const size_t d = xt.length / yt.length;
  if (yv.length == 0) throwRange(info.Env(), "yVal: expected at least one row");
  requireLength(info.Env(), xv.length, yv.length * d, "xVal");
  return {yt.length, yv.length, d};
}

bilevel::Sweep sweepOf(const Info& info, const ScalarsArg& s) {
  const double steps = s.number("steps");
  if (steps < 1 || steps > 1e8 || steps != static_cast<double>(static_cast<int64_t>(steps)))
    throwRange(info.Env(), "scalars.steps: expected an integer in [1, 1e8]");
  const float lr = s.f32("lr");
  if (!(lr > 0)) throwRange(info.Env(), "scalars.lr: expected a number > 0");
  return {static_cast<int>(steps), lr, s.boolean("forward")};
}

// The scratch each sweep needs: the trajectory (reverse) or the tangents (forward).
void checkScratch(const Info& info, ArrayArg<float> scratch, const bilevel::Sweep& sw, size_t nw, size_t nl) {
  const size_t need = sw.forward ? nl * nw : static_cast<size_t>(sw.steps) * nw;
  if (scratch.length < need)
    throwRange(info.Env(), "scratch: expected at least " + std::to_string(need) + " elements, got " +
                               std::to_string(scratch.length));
}

Napi::Value RidgeHypergrad(const Info& info) {
  ScalarsArg s(info, 8, "scalars");
  const bilevel::Sweep sw = sweepOf(info, s);
  auto xt = typedArray<float>(info, 0, "xTrain");
  auto yt = typedArray<float>(info, 1, "yTrain");
  auto xv = typedArray<float>(info, 2, "xVal");
  auto yv = typedArray<float>(info, 3, "yVal");
  const Shapes sh = shapesOf(info, xt, yt, xv, yv);
  auto lambda = typedArray<float>(info, 4, "lambda", sh.d);
  auto w = typedArray<float>(info, 5, "w", sh.d);
  auto scratch = typedArray<float>(info, 6, "scratch");
  auto grad = typedArray<float>(info, 7, "grad", sh.d);
  checkScratch(info, scratch, sw, sh.d, sh.d);
  const double v = bilevel::ridgeHypergrad(xt.data, yt.data, sh.n, xv.data, yv.data, sh.m, sh.d, lambda.data, w.data,
                                           scratch.data, grad.data, sw);
  return Napi::Number::New(info.Env(), v);
}

Napi::Value CleaningHypergrad(const Info& info) {
  ScalarsArg s(info, 8, "scalars");
  const bilevel::Sweep sw = sweepOf(info, s);
  const double classes = s.number("classes");
  if (classes < 2 || classes > 1e6 || classes != static_cast<double>(static_cast<int64_t>(classes)))
    throwRange(info.Env(), "scalars.classes: expected an integer >= 2");
  const size_t k = static_cast<size_t>(classes);
  const float l2 = s.f32("l2");
  if (!(l2 >= 0)) throwRange(info.Env(), "scalars.l2: expected a number >= 0");
  auto xt = typedArray<float>(info, 0, "xTrain");
  auto yt = typedArray<int32_t>(info, 1, "yTrain");
  auto xv = typedArray<float>(info, 2, "xVal");
  auto yv = typedArray<int32_t>(info, 3, "yVal");
  const Shapes sh = shapesOf(info, xt, yt, xv, yv);
  for (const auto& [ys, name] : {std::pair{yt, "yTrain"}, std::pair{yv, "yVal"}})
    for (size_t i = 0; i < ys.length; ++i)
      if (ys.data[i] < 0 || static_cast<size_t>(ys.data[i]) >= k)
        throwRange(info.Env(), std::string(name) + "[" + std::to_string(i) + "]: expected a label in [0, " +
                                   std::to_string(k) + ")");
  const size_t nw = (sh.d + 1) * k;
  auto lambda = typedArray<float>(info, 4, "lambda", sh.n);
  auto w = typedArray<float>(info, 5, "w", nw);
  auto scratch = typedArray<float>(info, 6, "scratch");
  auto grad = typedArray<float>(info, 7, "grad", sh.n);
  checkScratch(info, scratch, sw, nw, sh.n);
  const double v = bilevel::cleaningHypergrad(xt.data, yt.data, sh.n, xv.data, yv.data, sh.m, sh.d, k, l2,
                                              lambda.data, w.data, scratch.data, grad.data, sw);
  return Napi::Number::New(info.Env(), v);
}

}  // namespace

void RegisterBilevel(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"bilevelRidgeHypergrad(xTrain, yTrain, xVal, yVal, lambda, w, scratch, grad, scalars: SweepScalars)",
       RidgeHypergrad},
      {"bilevelCleaningHypergrad(xTrain, yTrain: Int32Array, xVal, yVal: Int32Array, lambda, w, scratch, grad, "
       "scalars: CleaningScalars)",
       CleaningHypergrad},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
