#include "core/meta/proximal.h"

#include <algorithm>
#include <cmath>

namespace ol::meta {

void ProximalScratch::reserve(size_t P) {
  if (a.size() < P) {
    a.resize(P);
    b.resize(P);
    g.resize(P);
    v.resize(P);
    hv.resize(P);
  }
}

double supportCurvature(TaskModel& model, ProximalScratch& s, const float* phi, const TaskView& tv,
                        const float* start) {
  const size_t P = model.paramCount();
  float* v = s.v.data();
  float* hv = s.hv.data();
  double n = std::sqrt(dotProduct(start, start, P));
  if (n > 0 && std::isfinite(n)) {
    for (size_t i = 0; i < P; ++i) v[i] = static_cast<float>(start[i] / n);
  } else {
    std::fill(v, v + P, static_cast<float>(1.0 / std::sqrt(static_cast<double>(P))));
  }
  double est = 0;
  for (int it = 0; it < kPowerIterations; ++it) {
    model.hvp(phi, tv.sx, tv.st, tv.sRows, v, hv);
    est = std::sqrt(dotProduct(hv, hv, P));
    if (!(est > 0) || !std::isfinite(est)) break;  // H v = 0 (flat) or a non-finite model
    for (size_t i = 0; i < P; ++i) v[i] = static_cast<float>(hv[i] / est);
  }
  return est;
}

const float* proximalSolve(TaskModel& model, ProximalScratch& s, const float* theta, const TaskView& tv,
                           const InnerConfig& c, float* queryLosses) {
  const size_t P = model.paramCount();
  const int k = c.steps;
  s.reserve(P);
  float* cur = s.a.data();
  float* next = s.b.data();
  float* g = s.g.data();
  std::copy(theta, theta + P, cur);
  const float lambda = c.lambda;
  float cap = 0;
  for (int j = 0; j <= k; ++j) {
    if (queryLosses) queryLosses[j] = static_cast<float>(model.loss(cur, tv.qx, tv.qt, tv.qRows));
    if (j == k) break;
    model.lossGrad(cur, tv.sx, tv.st, tv.sRows, g);
    if (j == 0) {
      double L = supportCurvature(model, s, theta, tv, g);
      cap = static_cast<float>(1.0 / (L + static_cast<double>(lambda)));
    }
    for (size_t i = 0; i < P; ++i) {
      const float lr = rateAt(c, i);
      const float r = cap < lr ? cap : lr;  // a NaN cap keeps lr
      next[i] = cur[i] - r * (g[i] + lambda * (cur[i] - theta[i]));
    }
    std::swap(cur, next);
  }
  return cur;
}

}  // namespace ol::meta
