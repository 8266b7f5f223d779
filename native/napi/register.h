// One Register* function per kernel family; addon.cc calls them all.
// A new family adds its own native/napi/<family>.cc and one line here and in addon.cc.
#pragma once

#include <napi.h>

namespace ol::napi {
void RegisterSystem(Napi::Env env, Napi::Object exports);
void RegisterRandom(Napi::Env env, Napi::Object exports);
void RegisterVec(Napi::Env env, Napi::Object exports);
void RegisterEnvs(Napi::Env env, Napi::Object exports);
void RegisterNn(Napi::Env env, Napi::Object exports);
void RegisterOptim(Napi::Env env, Napi::Object exports);
void RegisterRollout(Napi::Env env, Napi::Object exports);
void RegisterEs(Napi::Env env, Napi::Object exports);
void RegisterRl(Napi::Env env, Napi::Object exports);
void RegisterMeta(Napi::Env env, Napi::Object exports);
void RegisterLearned(Napi::Env env, Napi::Object exports);
void RegisterMujoco(Napi::Env env, Napi::Object exports);
void RegisterBilevel(Napi::Env env, Napi::Object exports);
void RegisterMetaRl(Napi::Env env, Napi::Object exports);
}  // namespace ol::napi
