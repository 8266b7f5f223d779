#include "core/es/ranks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ol::es {

void centeredRanks(const double* fitness, size_t n, double* out) {
  if (n == 0) return;
  if (n == 1) {
    out[0] = 0.0;
    return;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    bool fa = std::isfinite(fitness[a]), fb = std::isfinite(fitness[b]);
    if (fa != fb) return fa;  // finite before non-finite
    return fa && fitness[a] < fitness[b];
  });
  double denom = static_cast<double>(n - 1);
  for (size_t k = 0; k < n; ++k) out[order[k]] = static_cast<double>(k) / denom - 0.5;
}

}  // namespace ol::es
