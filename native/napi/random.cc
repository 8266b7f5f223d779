// random: N-API glue for the Philox4x32-10 streams (native/core/rng). The table at the bottom
// names each export and its JS signature (src/backend/kernels/random.ts).
#include "core/rng/philox.h"
#include "napi/args.h"
#include "napi/async.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

rng::Key keyArg(const Info& info, size_t index) {
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, index, "key", 2);
  return rng::Key{k.data[0], k.data[1]};
}
uint64_t counterArg(const Info& info, size_t index) {
  return static_cast<uint64_t>(integer(info, index, "counter", 0, kMaxSafeInteger));
}

template <typename T, void (*Fill)(rng::Key, uint64_t, T*, size_t)>
void FillSync(const Info& info) {
  rng::Key key = keyArg(info, 0);
  uint64_t counter = counterArg(info, 1);
  ArrayArg<T> out = typedArray<T>(info, 2, "out");
  Fill(key, counter, out.data, out.length);
}

template <typename T, void (*Fill)(rng::Key, uint64_t, T*, size_t)>
Napi::Value FillAsync(const Info& info) {
  rng::Key key = keyArg(info, 0);
  uint64_t counter = counterArg(info, 1);
  ArrayArg<T> out = typedArray<T>(info, 2, "out");
  return PromiseWorker::Start(info, [=] { Fill(key, counter, out.data, out.length); }, nullptr);
}

void Derive(const Info& info) {
  rng::Key key = keyArg(info, 0);
  auto index = static_cast<uint32_t>(integer(info, 1, "index", 0, 0xFFFFFFFFLL));
  auto domain = static_cast<uint32_t>(integer(info, 2, "domain", 0, 0xFFFFFFFFLL));
  ArrayArg<uint32_t> out = typedArray<uint32_t>(info, 3, "out", 2);
  rng::Key k = rng::derive(key, index, domain);
  out.data[0] = k.k0;
  out.data[1] = k.k1;
}

void Block(const Info& info) {
  rng::Key key = keyArg(info, 0);
  ArrayArg<uint32_t> c = typedArray<uint32_t>(info, 1, "counter", 4);
  ArrayArg<uint32_t> out = typedArray<uint32_t>(info, 2, "out", 4);
  rng::Block b = rng::philox(key, c.data[0], c.data[1], c.data[2], c.data[3]);
  for (int i = 0; i < 4; ++i) out.data[i] = b.v[i];
}

}  // namespace

void RegisterRandom(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"randomBits(key: Uint32Array[2], counter, out: Uint32Array)", FillSync<uint32_t, rng::fillBits>},
      {"randomUniform(key, counter, out: Float32Array)", FillSync<float, rng::fillUniform>},
      {"randomNormal(key, counter, out: Float32Array)", FillSync<float, rng::fillNormal>},
      {"randomUniformAsync(key, counter, out): Promise<void>", FillAsync<float, rng::fillUniform>},
      {"randomNormalAsync(key, counter, out): Promise<void>", FillAsync<float, rng::fillNormal>},
      {"philoxBlock(key, counter: Uint32Array[4], out: Uint32Array[4])", Block},
      {"randomDerive(key, index: uint32, domain: uint32, out: Uint32Array[2])", Derive},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
