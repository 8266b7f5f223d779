#include "core/es/perturb.h"

#include "core/parallel.h"
#include "core/simd.h"

namespace ol::es {
namespace {
// Rows per task: a member of a 1000-parameter policy is ~4 KB of writes.
constexpr size_t kGrainFloats = 1 << 14;

// The compiler may fuse multiply-add here and the js twin rounds each step, so the two backends
// agree within float tolerance; one backend on one machine is bit-identical run to run.
OL_HOT_LOOP void memberPair(const float* __restrict mean, const float* __restrict sigma, size_t sigmaLen,
                            const float* __restrict e, size_t dim, bool antithetic, float* __restrict plus,
                            float* __restrict minus) {
  if (sigmaLen == 1) {
    const float s = sigma[0];
    if (antithetic) {
      for (size_t j = 0; j < dim; ++j) {
        float d = s * e[j];
        plus[j] = mean[j] + d;
        minus[j] = mean[j] - d;
      }
    } else {
      for (size_t j = 0; j < dim; ++j) plus[j] = mean[j] + s * e[j];
    }
  } else {
    if (antithetic) {
      for (size_t j = 0; j < dim; ++j) {
        float d = sigma[j] * e[j];
        plus[j] = mean[j] + d;
        minus[j] = mean[j] - d;
      }
    } else {
      for (size_t j = 0; j < dim; ++j) plus[j] = mean[j] + sigma[j] * e[j];
    }
  }
}

template <class NoiseRow>
void perturbRows(NoiseRow&& noiseRow, size_t numNoise, const float* mean, const float* sigma, size_t sigmaLen,
                 size_t dim, bool antithetic, float* out) {
  size_t stride = antithetic ? 2 * dim : dim;
  size_t grain = dim == 0 ? numNoise : (kGrainFloats + stride - 1) / stride;
  parallelFor(numNoise, grain, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      float* plus = out + i * stride;
      memberPair(mean, sigma, sigmaLen, noiseRow(i), dim, antithetic, plus, plus + dim);
    }
  });
}
}  // namespace

void perturbFromTable(const float* table, const uint32_t* indices, size_t numNoise, const float* mean,
                      const float* sigma, size_t sigmaLen, size_t dim, bool antithetic, float* out) {
  perturbRows([&](size_t i) { return table + indices[i]; }, numNoise, mean, sigma, sigmaLen, dim, antithetic, out);
}

void perturbFromStream(rng::Key key, uint64_t counter, size_t numNoise, const float* mean, const float* sigma,
                       size_t sigmaLen, size_t dim, bool antithetic, float* eps, float* out) {
  rng::fillNormal(key, counter, eps, numNoise * dim);
  perturbRows([&](size_t i) { return eps + i * dim; }, numNoise, mean, sigma, sigmaLen, dim, antithetic, out);
}

}  // namespace ol::es
