// Centered ranks (OpenAI-ES, evosax default shaping): the member with the k-th smallest fitness
// (k = 0 … n−1) gets k/(n−1) − 0.5, so utilities lie in [−0.5, 0.5] and sum to zero. Tied values
// share the mean of their ranks (so a constant function gives all zeros and antithetic pairs
// cancel exactly). Non-finite values (NaN, ±Inf) rank above every finite value and tie with each
// other: ranked as losses, they come last. n = 1 gives 0.
#pragma once

#include <cstddef>

namespace ol::es {

void centeredRanks(const double* fitness, size_t n, double* out);

}  // namespace ol::es
