// envs: N-API glue for the envs kernel family (filled in by its issue).
#include "napi/register.h"

namespace ol::napi {
void RegisterEnvs(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ol::napi
