// system: the thread pool's size and what this binary was built with (src/backend/types.ts).
#include "core/parallel.h"
#include "core/simd.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

#ifdef OUTERLOOP_WITH_CUDA
#include "cuda/cuda_kernels.h"
#endif

namespace ol::napi {
namespace {

Napi::Value Threads(const Info& info) {
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    auto n = static_cast<int>(integer(info, 0, "threads", 1, 256));
    ThreadPool::global().resize(n);
  }
  return Napi::Number::New(info.Env(), ThreadPool::global().size());
}

Napi::Value Simd(const Info& info) { return Napi::String::New(info.Env(), simdLevel()); }

Napi::Value Cuda(const Info& info) {
#ifdef OUTERLOOP_WITH_CUDA
  return Napi::Boolean::New(info.Env(), cuda::deviceCount() > 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace

void RegisterSystem(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"threads([n: number]): number", Threads},
      {"simd(): string", Simd},
      {"cuda(): boolean", Cuda},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
