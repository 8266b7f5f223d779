// Task losses of the meta-learners over a model output y [rows x out]: the value, its gradient
// dL/dy and its Hessian-vector product (d2L/dy2)·ydot, which the R-operator pass needs.
//   Mse:          L = mean over rows and outputs of (y - t)^2      (torch MSELoss, reduction mean)
//   CrossEntropy: L = mean over rows of -log softmax(y)[label]
// Twin: src/backend/js/meta/loss.ts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::meta {

enum class Loss : int { Mse = 0, CrossEntropy = 1 };

// Targets of one task's rows: `values` [rows x out] for Mse, `labels` [rows] for CrossEntropy.
struct Targets {
  const float* values;
  const int32_t* labels;
};

// Loss value (double accumulation); gy (nullable) gets dL/dy.
double lossValueGrad(Loss loss, const float* y, Targets t, size_t rows, size_t out, float* gy);
// hy = (d2L/dy2) ydot.
void lossHessianVector(Loss loss, const float* y, Targets t, size_t rows, size_t out, const float* ydot, float* hy);

}  // namespace ol::meta
