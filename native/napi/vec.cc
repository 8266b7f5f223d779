// vec: N-API glue for the fused vector basics (native/core/vec). The table at the bottom names
// each export and its JS signature (src/backend/kernels/vector.ts).
#include "core/vec/vec.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

Napi::Value Axpy(const Info& info) {
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  ArrayArg<float> y = typedArray<float>(info, 2, "y", x.length);
  vec::axpy(a, x.data, y.data, x.length);
  return info.Env().Undefined();
}

Napi::Value Scale(const Info& info) {
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  vec::scale(a, x.data, x.length);
  return info.Env().Undefined();
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
  static const KernelRow rows[] = {
      // axpy(a, x, y): y += a·x
      {"axpy", 3, Axpy},
      // scale(a, x): x *= a
      {"scale", 2, Scale},
      // dot(x, y): number
      {"dot", 2, Dot},
      // sum(x): number
      {"sum", 1, Reduce1<vec::sum>},
      // sumSquares(x): number
      {"sumSquares", 1, Reduce1<vec::sumSquares>},
      // allFinite(x): boolean
      {"allFinite", 1, AllFinite},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
