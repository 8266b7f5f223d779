// nn: MLP kernels (see native/core/nn/mlp.h). Every call takes the architecture first:
//   sizes: Int32Array (widths, >= 2 entries), hidden: Activation code, output: Activation code.
// JS signatures (all buffers Float32Array unless noted; outputs are overwritten):
//   mlpForward(sizes, hidden, output, params, x, batch, y)
//   mlpForwardTape(sizes, hidden, output, params, x, batch, tape)
//   mlpBackwardTape(sizes, hidden, output, params, x, batch, tape, dy, gParams, gInputs | null)
//   mlpVjp(sizes, hidden, output, params, x, batch, dy, gParams, gInputs | null)
//   mlpJvp(sizes, hidden, output, params, x, batch, v, y | null, ydot)
//   mlpForwardTangentTape(sizes, hidden, output, params, x, batch, v, tape)
//   mlpHvpBackwardTape(sizes, hidden, output, params, x, batch, v, tape, gy, hy, hv, gParams | null)
//   mlpForwardBatched(sizes, hidden, output, tasks, params, x, rowStart: Int32Array, y)
//   mlpVjpBatched(sizes, hidden, output, tasks, params, x, rowStart: Int32Array, dy, gParams, gInputs | null)
#include <string>
#include <vector>

#include "core/nn/mlp.h"
#include "napi/args.h"
#include "napi/mlp_arg.h"
#include "napi/register.h"

namespace ol::napi {
namespace {


// Widths and activations, checked in napi/mlp_arg.h.
using Spec = MlpArg;
inline Spec specArg(const Napi::CallbackInfo& info) { return mlpArg(info, 0); }

size_t batchArg(const Napi::CallbackInfo& info, size_t index, const Spec& s) {
  int64_t maxRows = kMaxElements / static_cast<int64_t>(nn::mlpMaxWidth(s.spec));
  return static_cast<size_t>(integer(info, index, "batch", 1, maxRows));
}

// A Float32Array of an exact length, or null/undefined (returns nullptr).
float* optionalArray(const Napi::CallbackInfo& info, size_t index, const char* name, size_t length) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return typedArray<float>(info, index, name, length).data;
}

Napi::Value Forward(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "mlpForward");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* y = typedArray<float>(info, 6, "y", batch * s.out).data;
  nn::mlpForward(s.spec, p, x, batch, y);
  return info.Env().Undefined();
}

Napi::Value ForwardTape(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "mlpForwardTape");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* tape = typedArray<float>(info, 6, "tape", nn::mlpTapeSize(s.spec, batch, false)).data;
  nn::mlpForwardTape(s.spec, p, x, batch, tape);
  return info.Env().Undefined();
}

Napi::Value BackwardTape(const Napi::CallbackInfo& info) {
  requireArgs(info, 10, "mlpBackwardTape");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* tape = typedArray<float>(info, 6, "tape", nn::mlpTapeSize(s.spec, batch, false)).data;
  float* dy = typedArray<float>(info, 7, "dy", batch * s.out).data;
  float* g = typedArray<float>(info, 8, "gParams", s.params).data;
  float* gx = optionalArray(info, 9, "gInputs", batch * s.in);
  nn::mlpBackwardTape(s.spec, p, x, batch, tape, dy, g, gx);
  return info.Env().Undefined();
}

Napi::Value Vjp(const Napi::CallbackInfo& info) {
  requireArgs(info, 9, "mlpVjp");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* dy = typedArray<float>(info, 6, "dy", batch * s.out).data;
  float* g = typedArray<float>(info, 7, "gParams", s.params).data;
  float* gx = optionalArray(info, 8, "gInputs", batch * s.in);
  nn::mlpVjp(s.spec, p, x, batch, dy, g, gx);
  return info.Env().Undefined();
}

Napi::Value Jvp(const Napi::CallbackInfo& info) {
  requireArgs(info, 9, "mlpJvp");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* v = typedArray<float>(info, 6, "v", s.params).data;
  float* y = optionalArray(info, 7, "y", batch * s.out);
  float* ydot = typedArray<float>(info, 8, "ydot", batch * s.out).data;
  nn::mlpJvp(s.spec, p, x, batch, v, y, ydot);
  return info.Env().Undefined();
}

Napi::Value ForwardTangentTape(const Napi::CallbackInfo& info) {
  requireArgs(info, 8, "mlpForwardTangentTape");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* v = typedArray<float>(info, 6, "v", s.params).data;
  float* tape = typedArray<float>(info, 7, "tape", nn::mlpTapeSize(s.spec, batch, true)).data;
  nn::mlpForwardTangentTape(s.spec, p, x, batch, v, tape);
  return info.Env().Undefined();
}

Napi::Value HvpBackwardTape(const Napi::CallbackInfo& info) {
  requireArgs(info, 12, "mlpHvpBackwardTape");
  Spec s = specArg(info);
  float* p = typedArray<float>(info, 3, "params", s.params).data;
  size_t batch = batchArg(info, 5, s);
  float* x = typedArray<float>(info, 4, "x", batch * s.in).data;
  float* v = typedArray<float>(info, 6, "v", s.params).data;
  float* tape = typedArray<float>(info, 7, "tape", nn::mlpTapeSize(s.spec, batch, true)).data;
  float* gy = typedArray<float>(info, 8, "gy", batch * s.out).data;
  float* hy = typedArray<float>(info, 9, "hy", batch * s.out).data;
  float* hv = typedArray<float>(info, 10, "hv", s.params).data;
  float* g = optionalArray(info, 11, "gParams", s.params);
  nn::mlpHvpBackwardTape(s.spec, p, x, batch, v, tape, gy, hy, hv, g);
  return info.Env().Undefined();
}

// rowStart: T+1 non-decreasing row indices from 0; returns the total row count.
size_t rowStartArg(const Napi::CallbackInfo& info, size_t index, int tasks, const Spec& s) {
  ArrayArg<int32_t> rs = typedArray<int32_t>(info, index, "rowStart", static_cast<size_t>(tasks) + 1);
  if (rs.data[0] != 0) throwRange(info.Env(), "rowStart: expected rowStart[0] = 0");
  for (int t = 0; t < tasks; ++t)
    if (rs.data[t + 1] < rs.data[t])
      throwRange(info.Env(), "rowStart: expected non-decreasing entries, rowStart[" + std::to_string(t + 1) + "] < rowStart[" +
                                 std::to_string(t) + "]");
  auto rows = static_cast<size_t>(rs.data[tasks]);
  if (static_cast<double>(rows) * nn::mlpMaxWidth(s.spec) > static_cast<double>(kMaxElements))
    throwRange(info.Env(), "rowStart: too many rows");
  return rows;
}

Napi::Value ForwardBatched(const Napi::CallbackInfo& info) {
  requireArgs(info, 8, "mlpForwardBatched");
  Spec s = specArg(info);
  auto tasks = static_cast<int>(integer(info, 3, "tasks", 1, 1 << 24));
  float* p = typedArray<float>(info, 4, "params", static_cast<size_t>(tasks) * s.params).data;
  size_t rows = rowStartArg(info, 6, tasks, s);
  const int32_t* rs = typedArray<int32_t>(info, 6, "rowStart").data;
  float* x = typedArray<float>(info, 5, "x", rows * s.in).data;
  float* y = typedArray<float>(info, 7, "y", rows * s.out).data;
  nn::mlpForwardBatched(s.spec, tasks, p, x, rs, y);
  return info.Env().Undefined();
}

Napi::Value VjpBatched(const Napi::CallbackInfo& info) {
  requireArgs(info, 10, "mlpVjpBatched");
  Spec s = specArg(info);
  auto tasks = static_cast<int>(integer(info, 3, "tasks", 1, 1 << 24));
  float* p = typedArray<float>(info, 4, "params", static_cast<size_t>(tasks) * s.params).data;
  size_t rows = rowStartArg(info, 6, tasks, s);
  const int32_t* rs = typedArray<int32_t>(info, 6, "rowStart").data;
  float* x = typedArray<float>(info, 5, "x", rows * s.in).data;
  float* dy = typedArray<float>(info, 7, "dy", rows * s.out).data;
  float* g = typedArray<float>(info, 8, "gParams", static_cast<size_t>(tasks) * s.params).data;
  float* gx = optionalArray(info, 9, "gInputs", rows * s.in);
  nn::mlpVjpBatched(s.spec, tasks, p, x, rs, dy, g, gx);
  return info.Env().Undefined();
}

}  // namespace

void RegisterNn(Napi::Env env, Napi::Object exports) {
  exports.Set("mlpForward", Napi::Function::New(env, Forward, "mlpForward"));
  exports.Set("mlpForwardTape", Napi::Function::New(env, ForwardTape, "mlpForwardTape"));
  exports.Set("mlpBackwardTape", Napi::Function::New(env, BackwardTape, "mlpBackwardTape"));
  exports.Set("mlpVjp", Napi::Function::New(env, Vjp, "mlpVjp"));
  exports.Set("mlpJvp", Napi::Function::New(env, Jvp, "mlpJvp"));
  exports.Set("mlpForwardTangentTape", Napi::Function::New(env, ForwardTangentTape, "mlpForwardTangentTape"));
  exports.Set("mlpHvpBackwardTape", Napi::Function::New(env, HvpBackwardTape, "mlpHvpBackwardTape"));
  exports.Set("mlpForwardBatched", Napi::Function::New(env, ForwardBatched, "mlpForwardBatched"));
  exports.Set("mlpVjpBatched", Napi::Function::New(env, VjpBatched, "mlpVjpBatched"));
}

}  // namespace ol::napi
