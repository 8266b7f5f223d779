// Small shared pieces of the meta kernels: one task's rows, the inner SGD step and vector helpers.
#pragma once

#include <cstddef>

#include "core/meta/meta.h"
#include "core/simd.h"

namespace ol::meta {

struct TaskView {
  const float* sx;
  Targets st;
  size_t sRows;
  const float* qx;
  Targets qt;
  size_t qRows;
};

inline TaskView taskView(const nn::MlpSpec& spec, const TaskSet& ts, size_t t) {
  const size_t in = static_cast<size_t>(spec.sizes[0]);
  const size_t out = static_cast<size_t>(spec.sizes[spec.numLayers]);
  auto rowsOf = [&](Targets tg, size_t rows) {
    return Targets{tg.values ? tg.values + t * rows * out : nullptr, tg.labels ? tg.labels + t * rows : nullptr};
  };
  return TaskView{ts.supportX + t * ts.supportRows * in, rowsOf(ts.support, ts.supportRows), ts.supportRows,
                  ts.queryX ? ts.queryX + t * ts.queryRows * in : nullptr, rowsOf(ts.query, ts.queryRows),
                  ts.queryRows};
}

inline float rateAt(const InnerConfig& c, size_t i) { return c.lrCount == 1 ? c.lr[0] : c.lr[i]; }

// next = cur - lr*(g + lambda*(cur - anchor)), lr per parameter.
void innerStep(const InnerConfig& c, const float* cur, const float* g, const float* anchor, float* next, size_t n);
// y += a*x.
void addScaled(float a, const float* x, float* y, size_t n);
// Sum of x*y in double.
double dotProduct(const float* x, const float* y, size_t n);

}  // namespace ol::meta
