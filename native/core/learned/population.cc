// The batched population step: one pool task per member range; each member runs its K steps
// serially (mlpStep on a d-parameter buffer runs inline inside a pool task). The loss and gradient
// follow src/learned/tasks/quadratic.ts operation for operation in double, so with the same θ and
// noise a member matches the per-member path (task.lossAndGrad + learnedMlpStep) bit for bit.
#include "core/learned/population.h"

#include <vector>

#include "core/learned/mlp_step.h"
#include "core/parallel.h"

namespace ol::learned {
namespace {

// ½(x − c)ᵀQ(x − c) and g = float(Q(x − c) + noise·z) (z may be null: + 0).
double lossAndGrad(const float* p, const double* q, const double* c, const float* z, double noise, size_t d,
                   double* diff, float* g) {
  for (size_t i = 0; i < d; ++i) diff[i] = static_cast<double>(p[i]) - c[i];
  double value = 0;
  for (size_t i = 0; i < d; ++i) {
    double s = 0;
    for (size_t j = 0; j < d; ++j) s += q[i * d + j] * diff[j];
    value += 0.5 * diff[i] * s;
    g[i] = static_cast<float>(s + (z != nullptr ? noise * static_cast<double>(z[i]) : 0.0));
  }
  return value;
}

}  // namespace

void quadraticPopulation(size_t members, float* params, float* acc, double* counts, const float* thetas,
                         size_t thetaSize, const int32_t* widths, size_t numWidths, const double* q,
                         const double* centers, const uint32_t* taskOf, const float* z, double* losses,
                         const QuadraticPopulationScalars& s) {
  const size_t d = s.dim, K = s.steps;
  if (members == 0 || d == 0) return;
  const uint32_t whole[2] = {0, static_cast<uint32_t>(d)};
  const float one = 1.0f;
  parallelFor(members, 1, [&](size_t m0, size_t m1) {
    std::vector<double> diff(d);
    std::vector<float> g(d);
    for (size_t m = m0; m < m1; ++m) {
      const size_t t = taskOf[m];
      const double* qm = q + t * d * d;
      const double* cm = centers + t * d;
      float* p = params + m * d;
      float* a = acc + m * kAccRows * d;
      const float* theta = thetas + m * thetaSize;
      double* out = losses + m * (K + 1);
      for (size_t k = 0; k < K; ++k) {
        const float* zk = z != nullptr ? z + (t * K + k) * d : nullptr;
        out[k] = lossAndGrad(p, qm, cm, zk, s.noise, d, diff.data(), g.data());
        mlpStep(p, g.data(), a, d, theta, widths, numWidths, whole, 1, &one,
                MlpStepScalars{counts[m], s.stepMult, s.expMult});
        counts[m] += 1;
      }
      out[K] = lossAndGrad(p, qm, cm, nullptr, 0.0, d, diff.data(), g.data());
    }
  });
}

}  // namespace ol::learned
