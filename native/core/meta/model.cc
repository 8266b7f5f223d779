#include "core/meta/model.h"

#include <algorithm>
#include <vector>

namespace ol::meta {

TaskModel::TaskModel(const nn::MlpSpec& spec, Loss loss)
    : spec_(spec), loss_(loss), P_(nn::mlpParamCount(spec)), out_(static_cast<size_t>(spec.sizes[spec.numLayers])) {}

void TaskModel::reserve(size_t rows, bool tangent) {
  struct Buffers {
    std::vector<float> tape, gy, hy;
  };
  thread_local Buffers b;
  size_t tape = nn::mlpTapeSize(spec_, rows, tangent);
  if (b.tape.size() < tape) b.tape.resize(tape);
  if (b.gy.size() < rows * out_) {
    b.gy.resize(rows * out_);
    b.hy.resize(rows * out_);
  }
  tape_ = b.tape.data();
  gy_ = b.gy.data();
  hy_ = b.hy.data();
}

double TaskModel::lossGrad(const float* params, const float* x, Targets t, size_t rows, float* g) {
  if (rows == 0) {
    if (g) std::fill(g, g + P_, 0.0f);
    return 0.0;
  }
  reserve(rows, false);
  nn::mlpForwardTape(spec_, params, x, rows, tape_);
  const float* y = tape_ + nn::mlpTapeOutput(spec_, rows, false);
  double value = lossValueGrad(loss_, y, t, rows, out_, g ? gy_ : nullptr);
  if (g) nn::mlpBackwardTape(spec_, params, x, rows, tape_, gy_, g, nullptr);
  return value;
}

double TaskModel::loss(const float* params, const float* x, Targets t, size_t rows) {
  return lossGrad(params, x, t, rows, nullptr);
}

void TaskModel::hvp(const float* params, const float* x, Targets t, size_t rows, const float* v, float* hv) {
  reserve(rows, true);
  nn::mlpForwardTangentTape(spec_, params, x, rows, v, tape_);
  size_t yOff = nn::mlpTapeOutput(spec_, rows, true);
  const float* y = tape_ + yOff;
  const float* ydot = y + rows * out_;
  lossValueGrad(loss_, y, t, rows, out_, gy_);
  lossHessianVector(loss_, y, t, rows, out_, ydot, hy_);
  nn::mlpHvpBackwardTape(spec_, params, x, rows, v, tape_, gy_, hy_, hv, nullptr);
}

}  // namespace ol::meta
