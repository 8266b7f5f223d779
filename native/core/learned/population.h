// learned: a whole ES/PES population of learned-optimizer inner trainings advanced K steps in one
// call (one call per truncation), threaded over members, on the quadratic task family
// f(x) = ½(x − c)ᵀQ(x − c) with additive Gaussian gradient noise (src/learned/tasks/quadratic.ts).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::learned {

struct QuadraticPopulationScalars {
  // Parameters per member (the quadratic's dimension d).
  size_t dim;
  // Inner steps K per member.
  size_t steps;
  // Std of the gradient noise; the draws z come in `noise`.
  double noise;
  float stepMult;
  float expMult;
};

// For every member m (M = members): K times, loss and gradient of task taskOf[m] at params m
// (loss and Q·(x − c) in double, in the order of the js task; g = float(Q(x − c) + noise·z)),
// then one mlpStep with θ_m = thetas[m·thetaSize …] over the whole buffer, counts[m] += 1.
// losses[m·(K+1) + k] = the loss before step k, losses[m·(K+1) + K] = the loss after the last.
// params [M × d], acc [M × 7d], counts [M], thetas [M × thetaSize], q [T × d × d], centers [T × d],
// z [T × K × d] (nullptr when noise is 0: the task draws none). Members are independent, so the
// result does not depend on the thread count.
void quadraticPopulation(size_t members, float* params, float* acc, double* counts, const float* thetas,
                         size_t thetaSize, const int32_t* widths, size_t numWidths, const double* q,
                         const double* centers, const uint32_t* taskOf, const float* z, double* losses,
                         const QuadraticPopulationScalars& s);

}  // namespace ol::learned
