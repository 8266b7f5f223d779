// One task's view of the MLP for the meta kernels: loss, gradient and Hessian-vector product of
// a task loss at given parameters, over per-thread scratch (no allocation once warm). Uses the nn
// family's tape passes (native/core/nn/mlp.h); inside a pool task they run single-threaded.
#pragma once

#include <cstddef>
#include "core/meta/loss.h"
#include "core/nn/mlp.h"

namespace ol::meta {

class TaskModel {
 public:
  TaskModel(const nn::MlpSpec& spec, Loss loss);
  size_t paramCount() const { return P_; }
  // Loss of params on rows of x; g (nullable) gets dL/dparams.
  double lossGrad(const float* params, const float* x, Targets t, size_t rows, float* g);
  // Loss value only (forward pass).
  double loss(const float* params, const float* x, Targets t, size_t rows);
  // hv = (d2L/dparams2) v at params.
  void hvp(const float* params, const float* x, Targets t, size_t rows, const float* v, float* hv);

 private:
  // Points tape_, gy_, hy_ at this thread's grow-only buffers (a TaskModel lives on one thread).
  void reserve(size_t rows, bool tangent);
  const nn::MlpSpec& spec_;
  Loss loss_;
  size_t P_, out_;
  float* tape_ = nullptr;
  float* gy_ = nullptr;
  float* hy_ = nullptr;
};

}  // namespace ol::meta
