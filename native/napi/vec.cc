// vec: N-API glue for the fused vector basics (native/core/vec). The table at the bottom names
// each export and its JS signature (src/backend/kernels/vector.ts).
#include "core/vec/vec.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

void Axpy(const Info& info) {
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  ArrayArg<float> y = typedArray<float>(info, 2, "y", x.length);
  vec::axpy(a, x.data, y.data, x.length);
}

void Scale(const Info& info) {
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  vec::scale(a, x.data, x.length);
}

Napi::Value Dot(const Info& info) {
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  ArrayArg<float> y = typedArray<float>(info, 1, "y", x.length);
  return Napi::Number::New(info.Env(), vec::dot(x.data, y.data, x.length));
}

template <double (*Reduce)(const float*, size_t)>
Napi::Value Reduce1(const Info& info) {
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  return Napi::Number::New(info.Env(), Reduce(x.data, x.length));
}

Napi::Value AllFinite(const Info& info) {
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  return Napi::Boolean::New(info.Env(), vec::allFinite(x.data, x.length));
}

}  // namespace

void RegisterVec(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"axpy(a, x, y)", Axpy},  // y += a·x
      {"scale(a, x)", Scale},   // x *= a
      {"dot(x, y): number", Dot},
      {"sum(x): number", Reduce1<vec::sum>},
      {"sumSquares(x): number", Reduce1<vec::sumSquares>},
      {"allFinite(x): boolean", AllFinite},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
