// nn: N-API glue for the nn kernel family (filled in by its issue).
#include "napi/register.h"

namespace ol::napi {
void RegisterNn(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ol::napi
