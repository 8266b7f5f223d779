// rollout: N-API glue for the rollout kernel family (filled in by its issue).
#include "napi/register.h"

namespace ol::napi {
void RegisterRollout(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ol::napi
