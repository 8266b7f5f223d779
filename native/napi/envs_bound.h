// The bound form of the env step (envs_bound.cc): its bodies, listed in envs.cc's kernel table.
#pragma once

#include "napi/kernel.h"

namespace ol::napi {
Napi::Value EnvBind(const Info& info);
void EnvStepBound(const Info& info);
}  // namespace ol::napi
