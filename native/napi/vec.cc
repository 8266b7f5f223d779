// vec: fused vector basics. JS signatures:
//   axpy(a: number, x: Float32Array, y: Float32Array): void       y += a*x
//   scale(a: number, x: Float32Array): void                        x *= a
//   dot(x, y): number;  sum(x): number;  sumSquares(x): number;  allFinite(x): boolean
#include "core/vec/vec.h"
#include "napi/args.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

Napi::Value Axpy(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "axpy");
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  ArrayArg<float> y = typedArray<float>(info, 2, "y", x.length);
  vec::axpy(a, x.data, y.data, x.length);
  return info.Env().Undefined();
}

Napi::Value Scale(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "scale");
  auto a = static_cast<float>(anyNumber(info, 0, "a"));
  ArrayArg<float> x = typedArray<float>(info, 1, "x");
  vec::scale(a, x.data, x.length);
  return info.Env().Undefined();
}

Napi::Value Dot(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "dot");
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  ArrayArg<float> y = typedArray<float>(info, 1, "y", x.length);
  return Napi::Number::New(info.Env(), vec::dot(x.data, y.data, x.length));
}

template <double (*Reduce)(const float*, size_t)>
Napi::Value Reduce1(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "reduce");
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  return Napi::Number::New(info.Env(), Reduce(x.data, x.length));
}

Napi::Value AllFinite(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "allFinite");
  ArrayArg<float> x = typedArray<float>(info, 0, "x");
  return Napi::Boolean::New(info.Env(), vec::allFinite(x.data, x.length));
}

}  // namespace

void RegisterVec(Napi::Env env, Napi::Object exports) {
  exports.Set("axpy", Napi::Function::New(env, Axpy, "axpy"));
  exports.Set("scale", Napi::Function::New(env, Scale, "scale"));
  exports.Set("dot", Napi::Function::New(env, Dot, "dot"));
  exports.Set("sum", Napi::Function::New(env, Reduce1<vec::sum>, "sum"));
  exports.Set("sumSquares", Napi::Function::New(env, Reduce1<vec::sumSquares>, "sumSquares"));
  exports.Set("allFinite", Napi::Function::New(env, AllFinite, "allFinite"));
}

}  // namespace ol::napi
