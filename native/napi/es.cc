// es: N-API glue for the es kernel family (filled in by its issue).
#include "napi/register.h"

namespace ol::napi {
void RegisterEs(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ol::napi
