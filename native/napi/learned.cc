// learned: N-API glue for the fused learned-optimizer step and the batched quadratic population
// (native/core/learned). Every shape is checked here, before the kernel runs, and each error names the argument.
#include <string>

#include "core/learned/mlp_step.h"
#include "core/learned/population.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

// A layer-width list [39, …, 2]; returns the θ length it implies.
size_t checkWidths(const Info& info, const ArrayArg<int32_t>& widths) {
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
  return size;
}

void MlpStep(const Info& info) {
  ScalarsArg s(info, 7, "scalars");
  const learned::MlpStepScalars sc{s.number("count"), s.f32("stepMult"), s.f32("expMult")};
  if (sc.count < 0) throwRange(info.Env(), "scalars.count: expected a count >= 0");
  auto [n, p, g] = floatBuffers(info, "params", "grads");
  ArrayArg<float> acc = typedArray<float>(info, 2, "acc", learned::kAccRows * n);
  ArrayArg<float> theta = typedArray<float>(info, 3, "theta");
  ArrayArg<int32_t> widths = typedArray<int32_t>(info, 4, "widths");
  const size_t size = checkWidths(info, widths);
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

void QuadraticPopulation(const Info& info) {
  ScalarsArg s(info, 10, "scalars");
  const double dimIn = s.number("dim"), stepsIn = s.number("steps");
  if (dimIn < 1 || dimIn > 4096 || dimIn != static_cast<double>(static_cast<size_t>(dimIn)))
    throwRange(info.Env(), "scalars.dim: expected an integer in [1, 4096]");
  if (stepsIn < 1 || stepsIn > 1e6 || stepsIn != static_cast<double>(static_cast<size_t>(stepsIn)))
    throwRange(info.Env(), "scalars.steps: expected an integer in [1, 1e6]");
  const learned::QuadraticPopulationScalars sc{static_cast<size_t>(dimIn), static_cast<size_t>(stepsIn),
                                               s.number("noise"), s.f32("stepMult"), s.f32("expMult")};
  if (sc.noise < 0) throwRange(info.Env(), "scalars.noise: expected a number >= 0");
  const size_t d = sc.dim, K = sc.steps;
  ArrayArg<double> counts = typedArray<double>(info, 2, "counts");
  const size_t M = counts.length;
  for (size_t m = 0; m < M; ++m)
    if (!(counts.data[m] >= 0)) throwRange(info.Env(), "counts[" + std::to_string(m) + "]: expected a count >= 0");
  ArrayArg<float> params = typedArray<float>(info, 0, "params", M * d);
  ArrayArg<float> acc = typedArray<float>(info, 1, "acc", M * learned::kAccRows * d);
  ArrayArg<int32_t> widths = typedArray<int32_t>(info, 4, "widths");
  const size_t size = checkWidths(info, widths);
  ArrayArg<float> thetas = typedArray<float>(info, 3, "thetas", M * size);
  ArrayArg<double> centers = typedArray<double>(info, 6, "centers");
  if (centers.length % d != 0)
    throwRange(info.Env(), "centers: expected a multiple of dim (" + std::to_string(d) + "), got length " +
                               std::to_string(centers.length));
  const size_t T = centers.length / d;
  ArrayArg<double> q = typedArray<double>(info, 5, "q", T * d * d);
  ArrayArg<uint32_t> taskOf = typedArray<uint32_t>(info, 7, "taskOf", M);
  for (size_t m = 0; m < M; ++m)
    if (taskOf.data[m] >= T)
      throwRange(info.Env(), "taskOf[" + std::to_string(m) + "]: expected a task index < " + std::to_string(T));
  ArrayArg<float> z = typedArray<float>(info, 8, "noise");
  if (sc.noise > 0) requireLength(info.Env(), z.length, T * K * d, "noise");
  else requireLength(info.Env(), z.length, 0, "noise");
  ArrayArg<double> losses = typedArray<double>(info, 9, "losses", M * (K + 1));
  learned::quadraticPopulation(M, params.data, acc.data, counts.data, thetas.data, size, widths.data, widths.length,
                               q.data, centers.data, taskOf.data, sc.noise > 0 ? z.data : nullptr, losses.data, sc);
}

}  // namespace

void RegisterLearned(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"learnedMlpStep(params, grads, acc, theta, widths: Int32Array, segments: Uint32Array, multipliers, "
       "scalars: MlpStepScalars)",
       MlpStep},
      {"learnedQuadraticPopulation(params, acc, counts: Float64Array, thetas, widths: Int32Array, q: Float64Array, "
       "centers: Float64Array, taskOf: Uint32Array, noise, losses: Float64Array, scalars: QuadraticPopulationScalars)",
       QuadraticPopulation},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
