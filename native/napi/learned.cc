// learned: N-API glue for the fused learned-optimizer step (native/core/learned). Every shape is
// checked here, before the kernel runs, and each error names the argument.
#include <string>

#include "core/learned/mlp_step.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

void MlpStep(const Info& info) {
  ScalarsArg s(info, 7, "scalars");
  const learned::MlpStepScalars sc{s.number("count"), s.f32("stepMult"), s.f32("expMult")};
  if (sc.count < 0) throwRange(info.Env(), "scalars.count: expected a count >= 0");
  auto [n, p, g] = floatBuffers(info, "params", "grads");
  ArrayArg<float> acc = typedArray<float>(info, 2, "acc", learned::kAccRows * n);
  ArrayArg<float> theta = typedArray<float>(info, 3, "theta");
  ArrayArg<int32_t> widths = typedArray<int32_t>(info, 4, "widths");
  if (widths.length < 2) throwRange(info.Env(), "widths: expected at least 2 layer sizes");
  if (widths.data[0] != learned::kInputs || widths.data[widths.length - 1] != 2)
    throwRange(info.Env(), "widths: expected [39, ...hidden, 2]");
  size_t size = 0;
  for (size_t l = 0; l < widths.length; ++l) {
    if (widths.data[l] < 1 || widths.data[l] > 4096)
      throwRange(info.Env(), "widths[" + std::to_string(l) + "]: expected an integer in [1, 4096]");
    if (l + 1 < widths.length)
      size += static_cast<size_t>(widths.data[l]) * widths.data[l + 1] + widths.data[l + 1];
  }
  if (theta.length != size)
    throwRange(info.Env(), "theta: expected length " + std::to_string(size) + " for these widths, got " +
                               std::to_string(theta.length));
  ArrayArg<uint32_t> seg = typedArray<uint32_t>(info, 5, "segments");
  if (seg.length % 2 != 0) throwRange(info.Env(), "segments: expected (offset, size) pairs, got an odd length");
  uint64_t end = 0;
  for (size_t k = 0; k < seg.length; k += 2) {
    if (seg.data[k] < end)
      throwRange(info.Env(), "segments: segment " + std::to_string(k / 2) + " overlaps or precedes the one before");
    end = static_cast<uint64_t>(seg.data[k]) + seg.data[k + 1];
    if (end > n)
      throwRange(info.Env(), "segments: segment " + std::to_string(k / 2) + " ends at " + std::to_string(end) +
                                 ", past the buffer length " + std::to_string(n));
  }
  ArrayArg<float> mult = typedArray<float>(info, 6, "multipliers", seg.length / 2);
  learned::mlpStep(p, g, acc.data, n, theta.data, widths.data, widths.length, seg.data, seg.length / 2, mult.data,
                   sc);
}

}  // namespace

void RegisterLearned(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"learnedMlpStep(params, grads, acc, theta, widths: Int32Array, segments: Uint32Array, multipliers, "
       "scalars: MlpStepScalars)",
       MlpStep},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
