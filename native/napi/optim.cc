// optim: N-API glue for the optim kernel family (filled in by its issue).
#include "napi/register.h"

namespace ol::napi {
void RegisterOptim(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ol::napi
