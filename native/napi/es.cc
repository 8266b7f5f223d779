// es: N-API glue for the evolution-strategy kernels (native/core/es); the population rollouts'
// bodies live in es_rollout.cc. The table at the bottom names each export and its JS signature
// (src/backend/kernels/es.ts).
#include <string>

#include "core/es/perturb.h"
#include "core/es/ranks.h"
#include "core/es/weighted_sum.h"
#include "napi/args.h"
#include "napi/kernel.h"
#include "napi/register.h"

namespace ol::napi {
namespace {

// Every index must address a whole slice of the table.
void checkIndices(Napi::Env env, const ArrayArg<uint32_t>& indices, size_t tableLen, size_t dim) {
  if (dim > tableLen)
    throwRange(env, "table: expected at least " + std::to_string(dim) + " elements (one noise vector), got " +
                        std::to_string(tableLen));
  size_t maxIndex = tableLen - dim;
  for (size_t i = 0; i < indices.length; ++i)
    if (indices.data[i] > maxIndex)
      throwRange(env, "indices[" + std::to_string(i) + "]: expected an index in [0, " + std::to_string(maxIndex) +
                          "] (table length − dim), got " + std::to_string(indices.data[i]));
}

// sigma: one value or one per coordinate.
ArrayArg<float> sigmaArg(const Info& info, size_t index, size_t dim) {
  ArrayArg<float> s = typedArray<float>(info, index, "sigma");
  if (s.length != 1 && s.length != dim)
    throwRange(info.Env(), "sigma: expected length 1 or " + std::to_string(dim) + ", got " + std::to_string(s.length));
  return s;
}

size_t membersFor(size_t numNoise, bool antithetic) { return antithetic ? 2 * numNoise : numNoise; }

void PerturbTable(const Info& info) {
  ArrayArg<float> table = typedArray<float>(info, 0, "table");
  ArrayArg<uint32_t> indices = typedArray<uint32_t>(info, 1, "indices");
  ArrayArg<float> mean = typedArray<float>(info, 2, "mean");
  size_t dim = mean.length;
  ArrayArg<float> sigma = sigmaArg(info, 3, dim);
  bool antithetic = boolean(info, 4, "antithetic");
  ArrayArg<float> out = typedArray<float>(info, 5, "out", membersFor(indices.length, antithetic) * dim);
  checkIndices(info.Env(), indices, table.length, dim);
  es::perturbFromTable(table.data, indices.data, indices.length, mean.data, sigma.data, sigma.length, dim, antithetic,
                       out.data);
}

void PerturbNormal(const Info& info) {
  ArrayArg<uint32_t> k = typedArray<uint32_t>(info, 0, "key", 2);
  rng::Key key{k.data[0], k.data[1]};
  auto counter = static_cast<uint64_t>(integer(info, 1, "counter", 0, kMaxSafeInteger));
  ArrayArg<float> mean = typedArray<float>(info, 2, "mean");
  size_t dim = mean.length;
  ArrayArg<float> sigma = sigmaArg(info, 3, dim);
  bool antithetic = boolean(info, 4, "antithetic");
  ArrayArg<float> eps = typedArray<float>(info, 5, "eps");
  if (dim == 0) throwRange(info.Env(), "mean: expected at least one element");
  if (eps.length % dim != 0)
    throwRange(info.Env(), "eps: expected a multiple of dim = " + std::to_string(dim) + " elements, got " +
                               std::to_string(eps.length));
  size_t numNoise = eps.length / dim;
  ArrayArg<float> out = typedArray<float>(info, 6, "out", membersFor(numNoise, antithetic) * dim);
  es::perturbFromStream(key, counter, numNoise, mean.data, sigma.data, sigma.length, dim, antithetic, eps.data,
                        out.data);
}

void WeightedSumTable(const Info& info) {
  ArrayArg<float> table = typedArray<float>(info, 0, "table");
  ArrayArg<uint32_t> indices = typedArray<uint32_t>(info, 1, "indices");
  ArrayArg<double> weights = typedArray<double>(info, 2, "weights", indices.length);
  ArrayArg<float> out = typedArray<float>(info, 3, "out");
  checkIndices(info.Env(), indices, table.length, out.length);
  es::weightedSumTable(table.data, indices.data, weights.data, indices.length, out.length, out.data);
}

void WeightedSumRows(const Info& info) {
  ArrayArg<float> rows = typedArray<float>(info, 0, "rows");
  ArrayArg<double> weights = typedArray<double>(info, 1, "weights");
  ArrayArg<float> out = typedArray<float>(info, 2, "out");
  requireLength(info.Env(), rows.length, weights.length * out.length, "rows");
  es::weightedSumRows(rows.data, weights.data, weights.length, out.length, out.data);
}

void CenteredRanks(const Info& info) {
  ArrayArg<double> fitness = typedArray<double>(info, 0, "fitness");
  ArrayArg<double> out = typedArray<double>(info, 1, "out", fitness.length);
  es::centeredRanks(fitness.data, fitness.length, out.data);
}

}  // namespace

void EsRolloutPolicies(const Info& info);              // es_rollout.cc
Napi::Value EsRolloutPoliciesAsync(const Info& info);  // es_rollout.cc

void RegisterEs(Napi::Env env, Napi::Object exports) {
  static constexpr KernelRow rows[] = {
      {"esPerturbTable(table, indices: Uint32Array, mean, sigma, antithetic: boolean, out)", PerturbTable},
      {"esPerturbNormal(key: Uint32Array[2], counter, mean, sigma, antithetic: boolean, eps, out)", PerturbNormal},
      {"esWeightedSumTable(table, indices: Uint32Array, weights: Float64Array, out)", WeightedSumTable},
      {"esWeightedSumRows(rows, weights: Float64Array, out)", WeightedSumRows},
      {"esCenteredRanks(fitness: Float64Array, out: Float64Array)", CenteredRanks},
      // An optional actionStats Float32Array [P × actionWidth] may follow the scalars.
      {"esRolloutPolicies(config: Int32Array, sizes: Int32Array, params, key: Uint32Array[2], tasks, "
       "returns: Float64Array, lengths: Int32Array, descriptors, scalars: EsRolloutScalars)", EsRolloutPolicies},
      // esRolloutPolicies's arguments; no buffer may be touched until the promise settles.
      {"esRolloutPoliciesAsync(config, sizes, params, key, tasks, returns, lengths, descriptors, scalars)"
       ": Promise<void>", EsRolloutPoliciesAsync},
  };
  registerKernels(env, exports, rows);
}

}  // namespace ol::napi
