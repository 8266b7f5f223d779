// Centered ranks (OpenAI-ES, evosax default shaping): the member with the k-th smallest fitness
// (k = 0 … n−1) gets k/(n−1) − 0.5, so utilities lie in [−0.5, 0.5] and sum to zero. Ties are
// broken by index (a stable sort) and non-finite values (NaN, ±Inf) rank above every finite
// value, in index order, so the caller's "worst" end is well defined: rank losses to put them
// last. n = 1 gives 0.
#pragma once

#include <cstddef>

namespace ol::es {

void centeredRanks(const double* fitness, size_t n, double* out);

}  // namespace ol::es
