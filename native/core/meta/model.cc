#include "core/meta/model.h"

#include <algorithm>

namespace ol::meta {

TaskModel::TaskModel(const nn::MlpSpec& spec, Loss loss)
    : spec_(spec), loss_(loss), P_(nn::mlpParamCount(spec)), out_(static_cast<size_t>(spec.sizes[spec.numLayers])) {}

void TaskModel::reserve(size_t rows, bool tangent) {
  size_t tape = nn::mlpTapeSize(spec_, rows, tangent);
  if (tape_.size() < tape) tape_.resize(tape);
  if (gy_.size() < rows * out_) {
    gy_.resize(rows * out_);
    hy_.resize(rows * out_);
  }
}

double TaskModel::lossGrad(const float* params, const float* x, Targets t, size_t rows, float* g) {
  if (rows == 0) {
    if (g) std::fill(g, g + P_, 0.0f);
    return 0.0;
  }
  reserve(rows, false);
  nn::mlpForwardTape(spec_, params, x, rows, tape_.data());
  const float* y = tape_.data() + nn::mlpTapeOutput(spec_, rows, false);
  double value = lossValueGrad(loss_, y, t, rows, out_, g ? gy_.data() : nullptr);
  if (g) nn::mlpBackwardTape(spec_, params, x, rows, tape_.data(), gy_.data(), g, nullptr);
  return value;
}

double TaskModel::loss(const float* params, const float* x, Targets t, size_t rows) {
  return lossGrad(params, x, t, rows, nullptr);
}

void TaskModel::hvp(const float* params, const float* x, Targets t, size_t rows, const float* v, float* hv) {
  reserve(rows, true);
  nn::mlpForwardTangentTape(spec_, params, x, rows, v, tape_.data());
  size_t yOff = nn::mlpTapeOutput(spec_, rows, true);
  const float* y = tape_.data() + yOff;
  const float* ydot = y + rows * out_;
  lossValueGrad(loss_, y, t, rows, out_, gy_.data());
  lossHessianVector(loss_, y, t, rows, out_, ydot, hy_.data());
  nn::mlpHvpBackwardTape(spec_, params, x, rows, v, tape_.data(), gy_.data(), hy_.data(), hv, nullptr);
}

}  // namespace ol::meta
