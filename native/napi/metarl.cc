// metarl: N-API glue for MAML-RL's batched per-task curvature products
// (native/core/metarl/maml_products.h; TS interface src/backend/kernels/metarl.ts). The table at
// the bottom names each export and its JS signature; buffers are Float32Array unless noted and
// outputs are overwritten.
#include <string>

#include "core/metarl/maml_products.h"
#include "napi/args.h"
#include "napi/fields.h"
#include "napi/kernel.h"
#include "napi/mlp_arg.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

constexpr int64_t kMaxTasks = 1 << 24;

// The arguments both kernels share: sizes, params [tasks × S], x, rowStart, actions, coef and
// the tape [rows × width]; the scalars object holds hidden, output and tasks.
struct Common {
  MlpArg s;
  int tasks;
  size_t dim, S, rows, width;
  float *params, *x, *actions, *tape;
  const int32_t* rowStart;
  double* coef;
};
Common common(const Info& info, const ScalarsArg& sc) {
  Napi::Env env = info.Env();
  Common c{mlpArg(info, 0, sc, "scalars"), 0, 0, 0, 0, 0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
  c.tasks = static_cast<int>(integerField(env, sc, "scalars", "tasks", 1, kMaxTasks));
  c.dim = c.s.out;
  c.S = c.s.params + c.dim;
  const auto T = static_cast<size_t>(c.tasks);
  c.params = typedArray<float>(info, 1, "params", T * c.S).data;
  c.rowStart = typedArray<int32_t>(info, 3, "rowStart", T + 1).data;
  if (c.rowStart[0] != 0) throwRange(env, "rowStart: expected rowStart[0] = 0");
  for (size_t t = 0; t < T; ++t)
    if (c.rowStart[t + 1] < c.rowStart[t])
      throwRange(env, "rowStart: expected non-decreasing entries, rowStart[" + std::to_string(t + 1) + "] < rowStart[" +
                          std::to_string(t) + "]");
  c.rows = static_cast<size_t>(c.rowStart[T]);
  c.width = metarl::mamlTapeWidth(c.s.spec);
  if (static_cast<double>(c.rows) * static_cast<double>(c.width) > static_cast<double>(kMaxElements))
    throwRange(env, "rowStart: too many rows");
  c.x = typedArray<float>(info, 2, "x", c.rows * c.s.in).data;
  c.actions = typedArray<float>(info, 4, "actions", c.rows * c.dim).data;
  c.coef = typedArray<double>(info, 5, "coef", c.rows).data;
  c.tape = typedArray<float>(info, 6, "tape", c.rows * c.width).data;
  return c;
}

float* optionalBack(const Info& info, size_t index, const Common& c) {
  if (info[index].IsNull() || info[index].IsUndefined()) return nullptr;
  return typedArray<float>(info, index, "back", c.rows * c.width).data;
}

Napi::Value MamlGaussianPrepare(const Info& info) {
  ScalarsArg sc(info, 8, "scalars");
  Common c = common(info, sc);
  float* back = optionalBack(info, 7, c);
  metarl::mamlGaussianPrepare(c.s.spec, c.tasks, static_cast<int>(c.dim), c.params, c.x, c.rowStart, c.actions, c.coef,
                              c.tape, back);
  return info.Env().Undefined();
}

Napi::Value MamlGaussianProducts(const Info& info) {
  ScalarsArg sc(info, 10, "scalars");
  Common c = common(info, sc);
  const auto mode = static_cast<int>(integerField(info.Env(), sc, "scalars", "mode", 0, 1));
  float* back = optionalBack(info, 7, c);
  if (mode == 0 && back == nullptr) throwType(info.Env(), "back: expected a Float32Array for mode 0 (inner Hessian)");
  const auto T = static_cast<size_t>(c.tasks);
  float* v = typedArray<float>(info, 8, "v", T * c.S).data;
  float* out = typedArray<float>(info, 9, "out", T * c.S).data;
  metarl::mamlGaussianProducts(c.s.spec, c.tasks, static_cast<int>(c.dim), static_cast<metarl::MamlProduct>(mode),
                               c.params, c.x, c.rowStart, c.actions, c.coef, c.tape, back, v, out);
  return info.Env().Undefined();
}

}  // namespace

void RegisterMetaRl(Napi::Env env, Napi::Object exports) {
  static const KernelRow rows[] = {
      {"mamlGaussianPrepare(sizes: Int32Array, params, x, rowStart: Int32Array, actions, coef: Float64Array, tape, back?, scalars: MamlPrepareScalars)",
       MamlGaussianPrepare},
      {"mamlGaussianProducts(sizes: Int32Array, params, x, rowStart: Int32Array, actions, coef: Float64Array, tape, back?, v, out, scalars: MamlProductScalars)",
       MamlGaussianProducts},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
