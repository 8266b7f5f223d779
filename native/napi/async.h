// Promise-returning calls: the work runs on a libuv thread (and from there on the native pool),
// the JS thread stays free. The worker holds references to every argument so the garbage
// collector cannot free a buffer while Execute() reads it.
#pragma once

#include <napi.h>

#include <exception>
#include <functional>
#include <string>
#include <utility>

namespace ol::napi {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<void()>;
  using Result = std::function<Napi::Value(Napi::Env)>;

  // Keeps info's arguments alive until the promise settles.
  static Napi::Value Start(const Napi::CallbackInfo& info, Work work, Result result) {
    auto* worker = new PromiseWorker(info, std::move(work), std::move(result));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("outerloop: native kernel failed");
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    deferred_.Resolve(result_ ? result_(env) : env.Undefined());
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  PromiseWorker(const Napi::CallbackInfo& info, Work work, Result result)
      : Napi::AsyncWorker(info.Env(), "outerloop"),
        deferred_(Napi::Promise::Deferred::New(info.Env())),
        work_(std::move(work)),
        result_(std::move(result)) {
    Napi::Array args = Napi::Array::New(info.Env(), info.Length());
    for (size_t i = 0; i < info.Length(); ++i) args.Set(static_cast<uint32_t>(i), info[i]);
    keepAlive_ = Napi::Persistent(static_cast<Napi::Object>(args));
  }

  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference keepAlive_;
  Work work_;
  Result result_;
};

}  // namespace ol::napi
