#include "core/meta/loss.h"

#include <algorithm>
#include <cmath>

namespace ol::meta {
namespace {

// Softmax of one row into p (max-shifted); returns log-sum-exp.
double softmaxRow(const float* y, size_t out, float* p) {
  float m = y[0];
  for (size_t j = 1; j < out; ++j) m = std::max(m, y[j]);
  double s = 0;
  for (size_t j = 0; j < out; ++j) s += std::exp(static_cast<double>(y[j] - m));
  for (size_t j = 0; j < out; ++j) p[j] = static_cast<float>(std::exp(static_cast<double>(y[j] - m)) / s);
  return static_cast<double>(m) + std::log(s);
}

}  // namespace

double lossValueGrad(Loss loss, const float* y, Targets t, size_t rows, size_t out, float* gy) {
  if (rows == 0) return 0.0;
  double total = 0;
  if (loss == Loss::Mse) {
    size_t n = rows * out;
    float scale = 2.0f / static_cast<float>(n);
    for (size_t i = 0; i < n; ++i) {
      float d = y[i] - t.values[i];
      total += static_cast<double>(d) * d;
      if (gy) gy[i] = scale * d;
    }
    return total / static_cast<double>(n);
  }
  float inv = 1.0f / static_cast<float>(rows);
  float p[1024];
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * out;
    double lse = softmaxRow(yr, out, p);
    int32_t label = t.labels[r];
    total += lse - static_cast<double>(yr[label]);
    if (gy)
      for (size_t j = 0; j < out; ++j) gy[r * out + j] = inv * (p[j] - (static_cast<int32_t>(j) == label ? 1.0f : 0.0f));
  }
  return total / static_cast<double>(rows);
}

void lossHessianVector(Loss loss, const float* y, Targets t, size_t rows, size_t out, const float* ydot, float* hy) {
  if (rows == 0) return;
  if (loss == Loss::Mse) {
    size_t n = rows * out;
    float scale = 2.0f / static_cast<float>(n);
    for (size_t i = 0; i < n; ++i) hy[i] = scale * ydot[i];
    return;
  }
  (void)t;
  float inv = 1.0f / static_cast<float>(rows);
  float p[1024];
  for (size_t r = 0; r < rows; ++r) {
    softmaxRow(y + r * out, out, p);
    const float* d = ydot + r * out;
    double pd = 0;
    for (size_t j = 0; j < out; ++j) pd += static_cast<double>(p[j]) * d[j];
    for (size_t j = 0; j < out; ++j) hy[r * out + j] = inv * p[j] * (d[j] - static_cast<float>(pd));
  }
}

}  // namespace ol::meta
