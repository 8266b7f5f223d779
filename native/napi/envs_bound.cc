// envs, bound form: check an env's buffers once (envBind: the checks of envStep without the
// actions; the config is read then, so later writes to it do not affect the handle), then step
// with only the actions checked (envStepBound). The rows are in envs.cc's kernel table.
// Safety: the handle keeps the raw pointers of the bound arrays, so every envStepBound first checks
// that each distinct backing buffer is still what it was at bind time, and throws a TypeError
// otherwise: still alive (the handle holds it weakly; strong references would keep every buffer an
// env ever bound alive until two GC cycles after the handle died), and, for an ArrayBuffer, neither
// detached (transferred) nor resized (same data pointer and byte length). That is two N-API calls
// per buffer; a VectorEnv keeps all its arrays in one buffer. SharedArrayBuffers cannot be
// detached or shrunk, so only their liveness is checked.
#include "napi/envs_bound.h"

#include <memory>
#include <string>
#include <vector>

#include "core/envs/env.h"
#include "napi/args.h"
#include "napi/envs_args.h"

namespace ol::napi {
namespace {

// Marks handles made by envBind, so any other value passed as a handle is rejected.
constexpr napi_type_tag kBoundTag = {0x6f6c656e76626e64ULL, 0x8d3f1c2ab9e04a71ULL};

struct WatchedBuffer {
  Napi::ObjectReference ref;  // weak: empty once the ArrayBuffer (or SharedArrayBuffer) was collected
  void* data;
  size_t byteLength;
  bool checked;  // false for SharedArrayBuffers
};

struct BoundEnv {
  envs::Config cfg;
  envs::Dims dims;
  envs::Batch batch;
  envs::StepOut out;
  std::vector<WatchedBuffer> buffers;  // distinct backing buffers of the bound arrays
};

// Adds the backing buffer of a non-empty typed array to the watch list (once per buffer).
void watch(Napi::Env env, BoundEnv& h, Napi::Value array) {
  size_t length = 0;
  napi_value ab = nullptr;
  if (napi_get_typedarray_info(env, array, nullptr, &length, nullptr, &ab, nullptr) != napi_ok || ab == nullptr)
    throwType(env, "envBind: expected typed arrays");
  if (length == 0) return;  // never read (tasks of an env without tasks)
  Napi::Object buffer(env, ab);
  for (WatchedBuffer& w : h.buffers)
    if (w.ref.Value().StrictEquals(buffer)) return;
  bool isArrayBuffer = false;
  napi_is_arraybuffer(env, ab, &isArrayBuffer);
  void* data = nullptr;
  size_t byteLength = 0;
  if (isArrayBuffer) napi_get_arraybuffer_info(env, ab, &data, &byteLength);
  h.buffers.push_back(WatchedBuffer{Napi::Weak(buffer), data, byteLength, isArrayBuffer});
}

BoundEnv* handleArg(const Info& info) {
  Napi::Value v = info[0];
  if (!v.IsExternal() || !v.As<Napi::External<BoundEnv>>().CheckTypeTag(&kBoundTag))
    throwType(info.Env(), "handle: expected a handle returned by envBind");
  return v.As<Napi::External<BoundEnv>>().Data();
}

// The actions array in one N-API call (type, length and data at once): this is the hot path.
template <typename T>
const T* actionsArg(Napi::Env env, Napi::Value v, size_t length) {
  using Tr = TypedArrayTraits<T>;
  napi_typedarray_type type;
  size_t got = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &got, &data, nullptr, nullptr) != napi_ok || type != Tr::kType)
    throwType(env, std::string("actions: expected a ") + Tr::kName);
  requireLength(env, got, length, "actions");
  return static_cast<const T*>(data);
}

}  // namespace

Napi::Value EnvBind(const Info& info) {
  Napi::Env env = info.Env();
  auto h = std::make_unique<BoundEnv>();
  h->cfg = envargs::configArg(info, 0);
  h->dims = envs::dims(h->cfg);
  const envs::Dims& d = h->dims;
  h->batch = envargs::batchArgs(info, d);
  h->out = envargs::stepOutArgs(info, 5, d, h->batch.n);
  for (size_t i = 1; i <= 9; ++i) watch(env, *h, info[i]);
  auto ext = Napi::External<BoundEnv>::New(env, h.release(), [](Napi::Env, BoundEnv* p) { delete p; });
  ext.TypeTag(&kBoundTag);
  return ext;
}

void EnvStepBound(const Info& info) {
  Napi::Env env = info.Env();
  BoundEnv* h = handleArg(info);
  // Each buffer's handle, once read, stays in this call's handle scope, so a GC later in the call
  // (reading the actions may allocate) cannot collect a buffer that passed the check.
  for (const WatchedBuffer& w : h->buffers) {
    Napi::Object buffer = w.ref.Value();
    if (buffer.IsEmpty())
      throwType(env, "handle: a buffer bound by envBind was garbage-collected; keep the arrays referenced");
    if (!w.checked) continue;
    void* data = nullptr;
    size_t byteLength = 0;
    if (napi_get_arraybuffer_info(env, buffer, &data, &byteLength) != napi_ok || data != w.data ||
        byteLength != w.byteLength)
      throwType(env, "handle: a buffer bound by envBind was detached or resized since; bind the env again");
  }
  const envs::Dims& d = h->dims;
  size_t n = h->batch.n;
  const void* actions = nullptr;
  size_t count = 0;
  if (d.discrete > 0) {
    actions = actionsArg<int32_t>(env, info[1], n);
    count = n;
  } else {
    count = d.action * n;
    actions = actionsArg<float>(env, info[1], count);
  }
  envargs::checkActionValues(env, h->cfg, d, actions, count);
  envs::step(h->cfg, h->batch, actions, h->out);
}

}  // namespace ol::napi
