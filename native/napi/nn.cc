// nn: N-API glue for the MLP kernels (native/core/nn/mlp.h). The table at the bottom names each
// export and its JS signature (src/backend/kernels/nn.ts); buffers are Float32Array unless noted
// and outputs are overwritten. The architecture (sizes and activation codes) is checked in
// napi/mlp_arg.h; the kernels with ten or more arguments take their scalars as one object.
#include <string>
#include <utility>

#include "core/nn/mlp.h"
#include "napi/args.h"
#include "napi/fields.h"
#include "napi/kernel.h"
#include "napi/mlp_arg.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

float* buf(const Info& info, size_t index, const char* name, size_t length) {
  return typedArray<float>(info, index, name, length).data;
}

// A Float32Array of an exact length, or null/undefined (returns nullptr).
float* optionalBuf(const Info& info, size_t index, const char* name, size_t length) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return buf(info, index, name, length);
}

// Most rows a call may have: every row buffer must stay within kMaxElements.
int64_t maxRows(const MlpArg& s) { return kMaxElements / nn::mlpMaxWidth(s.spec); }

// A kernel's architecture, parameters and rows x [batch x in].
struct Rows {
  MlpArg s;
  float* params;
  float* x;
  size_t batch;
  size_t in() const { return batch * s.in; }    // floats of x (and gInputs)
  size_t out() const { return batch * s.out; }  // floats of y (and dy)
};

// The leading arguments of a positional kernel: sizes, hidden, output, params, x, batch.
Rows rowsArg(const Info& info) {
  MlpArg s = mlpArg(info, 0);
  float* p = buf(info, 3, "params", s.params);
  auto batch = static_cast<size_t>(integer(info, 5, "batch", 1, maxRows(s)));
  float* x = buf(info, 4, "x", batch * s.in);
  return {std::move(s), p, x, batch};
}

// The same for a kernel with a scalars object { hidden, output, batch } at `index`: sizes, params
// and x are arguments 0 to 2.
Rows rowsArg(const Info& info, size_t index) {
  ScalarsArg sc(info, index, "scalars");
  MlpArg s = mlpArg(info, 0, sc, "scalars");
  auto batch = static_cast<size_t>(integerField(info.Env(), sc, "scalars", "batch", 1, maxRows(s)));
  float* p = buf(info, 1, "params", s.params);
  float* x = buf(info, 2, "x", batch * s.in);
  return {std::move(s), p, x, batch};
}

// The per-task arguments of a batched kernel: params [tasks x P], rowStart (tasks + 1
// non-decreasing row indices from 0) and x with the rows it counts.
struct Tasks {
  float* params;
  const int32_t* rowStart;
  float* x;
  size_t rows;
};
Tasks tasksArg(const Info& info, const MlpArg& s, int tasks, size_t paramsAt, size_t xAt, size_t rowStartAt) {
  float* p = buf(info, paramsAt, "params", static_cast<size_t>(tasks) * s.params);
  const int32_t* rs = typedArray<int32_t>(info, rowStartAt, "rowStart", static_cast<size_t>(tasks) + 1).data;
  if (rs[0] != 0) throwRange(info.Env(), "rowStart: expected rowStart[0] = 0");
  for (int t = 0; t < tasks; ++t)
    if (rs[t + 1] < rs[t])
      throwRange(info.Env(), "rowStart: expected non-decreasing entries, rowStart[" + std::to_string(t + 1) +
                                 "] < rowStart[" + std::to_string(t) + "]");
  auto rows = static_cast<size_t>(rs[tasks]);
  if (static_cast<double>(rows) * nn::mlpMaxWidth(s.spec) > static_cast<double>(kMaxElements))
    throwRange(info.Env(), "rowStart: too many rows");
  return {p, rs, buf(info, xAt, "x", rows * s.in), rows};
}
constexpr int64_t kMaxTasks = 1 << 24;

Napi::Value Forward(const Info& info) {
  Rows r = rowsArg(info);
  float* y = buf(info, 6, "y", r.out());
  nn::mlpForward(r.s.spec, r.params, r.x, r.batch, y);
  return info.Env().Undefined();
}

Napi::Value ForwardTape(const Info& info) {
  Rows r = rowsArg(info);
  float* tape = buf(info, 6, "tape", nn::mlpTapeSize(r.s.spec, r.batch, false));
  nn::mlpForwardTape(r.s.spec, r.params, r.x, r.batch, tape);
  return info.Env().Undefined();
}

Napi::Value BackwardTape(const Info& info) {
  Rows r = rowsArg(info, 7);
  float* tape = buf(info, 3, "tape", nn::mlpTapeSize(r.s.spec, r.batch, false));
  float* dy = buf(info, 4, "dy", r.out());
  float* g = buf(info, 5, "gParams", r.s.params);
  float* gx = optionalBuf(info, 6, "gInputs", r.in());
  nn::mlpBackwardTape(r.s.spec, r.params, r.x, r.batch, tape, dy, g, gx);
  return info.Env().Undefined();
}

Napi::Value Vjp(const Info& info) {
  Rows r = rowsArg(info);
  float* dy = buf(info, 6, "dy", r.out());
  float* g = buf(info, 7, "gParams", r.s.params);
  float* gx = optionalBuf(info, 8, "gInputs", r.in());
  nn::mlpVjp(r.s.spec, r.params, r.x, r.batch, dy, g, gx);
  return info.Env().Undefined();
}

Napi::Value Jvp(const Info& info) {
  Rows r = rowsArg(info);
  float* v = buf(info, 6, "v", r.s.params);
  float* y = optionalBuf(info, 7, "y", r.out());
  float* ydot = buf(info, 8, "ydot", r.out());
  nn::mlpJvp(r.s.spec, r.params, r.x, r.batch, v, y, ydot);
  return info.Env().Undefined();
}

Napi::Value ForwardTangentTape(const Info& info) {
  Rows r = rowsArg(info);
  float* v = buf(info, 6, "v", r.s.params);
  float* tape = buf(info, 7, "tape", nn::mlpTapeSize(r.s.spec, r.batch, true));
  nn::mlpForwardTangentTape(r.s.spec, r.params, r.x, r.batch, v, tape);
  return info.Env().Undefined();
}

Napi::Value HvpBackwardTape(const Info& info) {
  Rows r = rowsArg(info, 9);
  float* v = buf(info, 3, "v", r.s.params);
  float* tape = buf(info, 4, "tape", nn::mlpTapeSize(r.s.spec, r.batch, true));
  float* gy = buf(info, 5, "gy", r.out());
  float* hy = buf(info, 6, "hy", r.out());
  float* hv = buf(info, 7, "hv", r.s.params);
  float* g = optionalBuf(info, 8, "gParams", r.s.params);
  nn::mlpHvpBackwardTape(r.s.spec, r.params, r.x, r.batch, v, tape, gy, hy, hv, g);
  return info.Env().Undefined();
}

Napi::Value ForwardBatched(const Info& info) {
  MlpArg s = mlpArg(info, 0);
  auto tasks = static_cast<int>(integer(info, 3, "tasks", 1, kMaxTasks));
  Tasks t = tasksArg(info, s, tasks, 4, 5, 6);
  float* y = buf(info, 7, "y", t.rows * s.out);
  nn::mlpForwardBatched(s.spec, tasks, t.params, t.x, t.rowStart, y);
  return info.Env().Undefined();
}

Napi::Value VjpBatched(const Info& info) {
  ScalarsArg sc(info, 7, "scalars");
  MlpArg s = mlpArg(info, 0, sc, "scalars");
  auto tasks = static_cast<int>(integerField(info.Env(), sc, "scalars", "tasks", 1, kMaxTasks));
  Tasks t = tasksArg(info, s, tasks, 1, 2, 3);
  float* dy = buf(info, 4, "dy", t.rows * s.out);
  float* g = buf(info, 5, "gParams", static_cast<size_t>(tasks) * s.params);
  float* gx = optionalBuf(info, 6, "gInputs", t.rows * s.in);
  nn::mlpVjpBatched(s.spec, tasks, t.params, t.x, t.rowStart, dy, g, gx);
  return info.Env().Undefined();
}

}  // namespace

void RegisterNn(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"mlpForward(sizes: Int32Array, hidden, output, params, x, batch, y)", Forward},
      {"mlpForwardTape(sizes: Int32Array, hidden, output, params, x, batch, tape)", ForwardTape},
      {"mlpBackwardTape(sizes: Int32Array, params, x, tape, dy, gParams, gInputs?, scalars: MlpScalars)", BackwardTape},
      {"mlpVjp(sizes: Int32Array, hidden, output, params, x, batch, dy, gParams, gInputs?)", Vjp},
      {"mlpJvp(sizes: Int32Array, hidden, output, params, x, batch, v, y?, ydot)", Jvp},
      {"mlpForwardTangentTape(sizes: Int32Array, hidden, output, params, x, batch, v, tape)", ForwardTangentTape},
      {"mlpHvpBackwardTape(sizes: Int32Array, params, x, v, tape, gy, hy, hv, gParams?, scalars: MlpScalars)",
       HvpBackwardTape},
      {"mlpForwardBatched(sizes: Int32Array, hidden, output, tasks, params, x, rowStart: Int32Array, y)",
       ForwardBatched},
      {"mlpVjpBatched(sizes: Int32Array, params, x, rowStart: Int32Array, dy, gParams, gInputs?, scalars: MlpBatchedScalars)",
       VjpBatched},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
