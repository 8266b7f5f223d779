#include "core/es/ranks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ol::es {
namespace {
// Orders finite values ascending, all non-finite values after them as one tie group.
bool before(double a, double b) {
  bool fa = std::isfinite(a), fb = std::isfinite(b);
  if (fa != fb) return fa;
  return fa && a < b;
}
}  // namespace

void centeredRanks(const double* fitness, size_t n, double* out) {
  if (n == 0) return;
  if (n == 1) {
    out[0] = 0.0;
    return;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return before(fitness[a], fitness[b]); });
  double denom = static_cast<double>(n - 1);
  for (size_t k = 0; k < n;) {
    size_t end = k + 1;
    while (end < n && !before(fitness[order[k]], fitness[order[end]])) ++end;
    // Positions k … end−1 tie: each gets their mean rank.
    double rank = 0.5 * static_cast<double>(k + end - 1);
    for (size_t t = k; t < end; ++t) out[order[t]] = rank / denom - 0.5;
    k = end;
  }
}

}  // namespace ol::es
