// nn: N-API glue for the MLP kernels (native/core/nn/mlp.h). The table at the bottom names each
// export and its JS signature (src/backend/kernels/nn.ts); buffers are Float32Array unless noted
// and outputs are overwritten. The architecture (sizes and activation codes) is checked in
// napi/mlp_arg.h; the kernels with ten or more arguments take their scalars as one object.
#include <algorithm>
#include <string>
#include <utility>

#include "core/nn/gru.h"
#include "core/nn/lstm.h"
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

// ---- GRU (core/nn/gru.h): sizes in a scalars object { inputSize, hiddenSize, steps, batch } ----
nn::GruSpec gruSpec(const Info& info, const ScalarsArg& sc) {
  Napi::Env env = info.Env();
  nn::GruSpec s{};
  s.in = static_cast<size_t>(integerField(env, sc, "scalars", "inputSize", 1, 1 << 20));
  s.hidden = static_cast<size_t>(integerField(env, sc, "scalars", "hiddenSize", 1, 1 << 20));
  s.steps = static_cast<size_t>(integerField(env, sc, "scalars", "steps", 1, kMaxElements));
  s.batch = static_cast<size_t>(integerField(env, sc, "scalars", "batch", 1, kMaxElements));
  const double rows = static_cast<double>(s.steps) * static_cast<double>(s.batch);
  if (rows * 5.0 * static_cast<double>(std::max(s.hidden, s.in)) > static_cast<double>(kMaxElements))
    throwRange(env, "scalars: steps * batch * hiddenSize too large");
  return s;
}
const uint8_t* optionalResets(const Info& info, size_t index, const nn::GruSpec& s) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return typedArray<uint8_t>(info, index, "resets", s.steps * s.batch).data;
}

Napi::Value GruForward(const Info& info) {
  ScalarsArg sc(info, 6, "scalars");
  nn::GruSpec s = gruSpec(info, sc);
  const size_t TB = s.steps * s.batch;
  float* p = buf(info, 0, "params", nn::gruParamCount(s.in, s.hidden));
  float* xs = buf(info, 1, "xs", TB * s.in);
  float* h0 = optionalBuf(info, 2, "h0", s.batch * s.hidden);
  const uint8_t* resets = optionalResets(info, 3, s);
  float* hs = buf(info, 4, "hs", TB * s.hidden);
  float* tape = optionalBuf(info, 5, "tape", nn::gruTapeSize(s));
  nn::gruForward(s, p, xs, h0, resets, hs, tape);
  return info.Env().Undefined();
}

Napi::Value GruBackward(const Info& info) {
  ScalarsArg sc(info, 9, "scalars");
  nn::GruSpec s = gruSpec(info, sc);
  auto truncate = static_cast<size_t>(integerField(info.Env(), sc, "scalars", "truncate", 0, kMaxElements));
  const size_t TB = s.steps * s.batch;
  const size_t P = nn::gruParamCount(s.in, s.hidden);
  float* p = buf(info, 0, "params", P);
  float* xs = buf(info, 1, "xs", TB * s.in);
  const uint8_t* resets = optionalResets(info, 2, s);
  float* tape = buf(info, 3, "tape", nn::gruTapeSize(s));
  float* dHs = buf(info, 4, "dHs", TB * s.hidden);
  float* g = buf(info, 5, "gParams", P);
  float* gx = optionalBuf(info, 6, "gXs", TB * s.in);
  float* gh0 = optionalBuf(info, 7, "gH0", s.batch * s.hidden);
  float* work = buf(info, 8, "work", nn::gruWorkSize(s));
  nn::gruBackward(s, truncate, p, xs, resets, tape, dHs, g, gx, gh0, work);
  return info.Env().Undefined();
}

// ---- LSTM (core/nn/lstm.h): the GRU's scalars ----
Napi::Value LstmForward(const Info& info) {
  ScalarsArg sc(info, 8, "scalars");
  nn::LstmSpec s = gruSpec(info, sc);
  const size_t TB = s.steps * s.batch;
  float* p = buf(info, 0, "params", nn::lstmParamCount(s.in, s.hidden));
  float* xs = buf(info, 1, "xs", TB * s.in);
  float* h0 = optionalBuf(info, 2, "h0", s.batch * s.hidden);
  float* c0 = optionalBuf(info, 3, "c0", s.batch * s.hidden);
  const uint8_t* resets = optionalResets(info, 4, s);
  float* hs = buf(info, 5, "hs", TB * s.hidden);
  float* cs = buf(info, 6, "cs", TB * s.hidden);
  float* tape = optionalBuf(info, 7, "tape", nn::lstmTapeSize(s));
  nn::lstmForward(s, p, xs, h0, c0, resets, hs, cs, tape);
  return info.Env().Undefined();
}

Napi::Value LstmBackward(const Info& info) {
  ScalarsArg sc(info, 10, "scalars");
  nn::LstmSpec s = gruSpec(info, sc);
  auto truncate = static_cast<size_t>(integerField(info.Env(), sc, "scalars", "truncate", 0, kMaxElements));
  const size_t TB = s.steps * s.batch;
  const size_t P = nn::lstmParamCount(s.in, s.hidden);
  float* p = buf(info, 0, "params", P);
  float* xs = buf(info, 1, "xs", TB * s.in);
  const uint8_t* resets = optionalResets(info, 2, s);
  float* tape = buf(info, 3, "tape", nn::lstmTapeSize(s));
  float* dHs = buf(info, 4, "dHs", TB * s.hidden);
  float* g = buf(info, 5, "gParams", P);
  float* gx = optionalBuf(info, 6, "gXs", TB * s.in);
  float* gh0 = optionalBuf(info, 7, "gH0", s.batch * s.hidden);
  float* gc0 = optionalBuf(info, 8, "gC0", s.batch * s.hidden);
  float* work = buf(info, 9, "work", nn::lstmWorkSize(s));
  nn::lstmBackward(s, truncate, p, xs, resets, tape, dHs, g, gx, gh0, gc0, work);
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
      {"gruForward(params, xs, h0?, resets?: Uint8Array, hs, tape?, scalars: GruScalars)", GruForward},
      {"gruBackward(params, xs, resets?: Uint8Array, tape, dHs, gParams, gXs?, gH0?, work, scalars: GruBackwardScalars)",
       GruBackward},
      {"lstmForward(params, xs, h0?, c0?, resets?: Uint8Array, hs, cs, tape?, scalars: GruScalars)", LstmForward},
      {"lstmBackward(params, xs, resets?: Uint8Array, tape, dHs, gParams, gXs?, gH0?, gC0?, work, scalars: GruBackwardScalars)",
       LstmBackward},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
