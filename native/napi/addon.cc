// The addon's entry point: registers every kernel family. Nothing else lives here.
#include <napi.h>

#include "napi/register.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace ol::napi;
  RegisterSystem(env, exports);
  RegisterRandom(env, exports);
  RegisterVec(env, exports);
  RegisterEnvs(env, exports);
  RegisterNn(env, exports);
  RegisterOptim(env, exports);
  RegisterRollout(env, exports);
  RegisterEs(env, exports);
  RegisterRl(env, exports);
  RegisterMeta(env, exports);
  RegisterLearned(env, exports);
  RegisterMujoco(env, exports);
  RegisterBilevel(env, exports);
  RegisterMetaRl(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(outerloop, Init)
