#include "core/meta/task_view.h"

namespace ol::meta {
namespace {
OL_HOT_LOOP void stepScalar(float lr, const float* cur, const float* g, float* next, size_t n) {
  for (size_t i = 0; i < n; ++i) next[i] = cur[i] - lr * g[i];
}
OL_HOT_LOOP void stepVector(const float* lr, const float* cur, const float* g, float* next, size_t n) {
  for (size_t i = 0; i < n; ++i) next[i] = cur[i] - lr[i] * g[i];
}
}  // namespace

void innerStep(const InnerConfig& c, const float* cur, const float* g, const float* anchor, float* next, size_t n) {
  if (c.lambda == 0.0f) {
    if (c.lrCount == 1)
      stepScalar(c.lr[0], cur, g, next, n);
    else
      stepVector(c.lr, cur, g, next, n);
    return;
  }
  for (size_t i = 0; i < n; ++i) next[i] = cur[i] - rateAt(c, i) * (g[i] + c.lambda * (cur[i] - anchor[i]));
}

OL_HOT_LOOP void addScaled(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

double dotProduct(const float* x, const float* y, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  return s;
}

}  // namespace ol::meta
