// The bound form of the env step (envs_bound.cc), registered by RegisterEnvs.
#pragma once

#include <napi.h>

namespace ol::napi {
void RegisterEnvsBound(Napi::Env env, Napi::Object exports);
}  // namespace ol::napi
