// system: the pool size and what this binary was built with. JS signatures:
//   threads(n?: number): number   simd(): string   cuda(): boolean
#include "core/parallel.h"
#include "core/simd.h"
#include "napi/args.h"
#include "napi/register.h"

#ifdef OUTERLOOP_WITH_CUDA
#include "cuda/cuda_kernels.h"
#endif

namespace ol::napi {
namespace {

Napi::Value Threads(const Napi::CallbackInfo& info) {
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    auto n = static_cast<int>(integer(info, 0, "threads", 1, 256));
    ThreadPool::global().resize(n);
  }
  return Napi::Number::New(info.Env(), ThreadPool::global().size());
}

Napi::Value Simd(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), simdLevel()); }

Napi::Value Cuda(const Napi::CallbackInfo& info) {
#ifdef OUTERLOOP_WITH_CUDA
  return Napi::Boolean::New(info.Env(), cuda::deviceCount() > 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace

void RegisterSystem(Napi::Env env, Napi::Object exports) {
  exports.Set("threads", Napi::Function::New(env, Threads, "threads"));
  exports.Set("simd", Napi::Function::New(env, Simd, "simd"));
  exports.Set("cuda", Napi::Function::New(env, Cuda, "cuda"));
}

}  // namespace ol::napi
