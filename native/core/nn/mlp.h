// Multilayer perceptron over one flat float32 parameter vector, with its derivatives.
//
// Parameter layout (shared with the TypeScript twin src/backend/js/nn/mlp.ts and the ParamLayout
// segment names `dense{l}.w` [in, out] and `dense{l}.b` [out]): for each weight layer l in order,
// W_l row-major [sizes[l] x sizes[l+1]], then b_l [sizes[l+1]]. Layer l computes
//   z_l = a_{l-1} W_l + b_l,  a_l = f(z_l),  a_{-1} = x,
// with f = `hidden` for every layer but the last and f = `output` for the last.
//
// Determinism: row-independent work is split over rows; reductions over the batch (weight and
// bias gradients) are split over parameter rows and summed over the batch in a fixed order, so
// results do not depend on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::nn {

enum class Activation : int { Identity = 0, Tanh = 1, Relu = 2, LeakyRelu = 3, Gelu = 4, Sigmoid = 5, Softplus = 6 };
constexpr int kNumActivations = 7;
// Negative slope of LeakyRelu (PyTorch's default).
constexpr float kLeakySlope = 0.01f;

struct MlpSpec {
  const int32_t* sizes;  // numLayers + 1 widths, each >= 1
  int numLayers;         // number of weight layers = sizes count - 1 (>= 1)
  Activation hidden;
  Activation output;
};

// Number of parameters: sum over layers of in*out + out.
size_t mlpParamCount(const MlpSpec& spec);
// Offset of W_l in the parameter vector (b_l follows W_l at + in*out).
size_t mlpLayerOffset(const MlpSpec& spec, int layer);
// Largest width in sizes.
int mlpMaxWidth(const MlpSpec& spec);

// Floats of scratch mlpForwardRows needs for `batch` rows.
size_t mlpForwardWorkspace(const MlpSpec& spec, size_t batch);
// Single-threaded forward of `batch` rows: x [batch x sizes[0]] -> y [batch x sizes[last]].
// No allocation (scratch beyond `workspace` lives on the stack, < 100 KiB); `workspace` holds
// mlpForwardWorkspace(spec, batch) floats. Safe to call from pool tasks (rollouts, ES members).
void mlpForwardRows(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* y, float* workspace);
// Threaded forward over rows (splits the batch with ol::parallelFor).
void mlpForward(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* y);

// ---- Derivatives ------------------------------------------------------------------------------
// A "tape" holds what the backward pass needs, layer after layer, each part [batch x out_l]:
// without `tangent` z_l, a_l; with `tangent` z_l, zdot_l, a_l, adot_l. The model output y is
// a_last, at mlpTapeOutput(spec, batch, tangent); with `tangent` its tangent ydot follows it
// (+ batch*out_last).

// Floats in a tape for `batch` rows.
size_t mlpTapeSize(const MlpSpec& spec, size_t batch, bool tangent);
// Offset of the output y = a_last inside a tape.
size_t mlpTapeOutput(const MlpSpec& spec, size_t batch, bool tangent);

// The passes below thread over rows (or parameter rows) and keep grow-only thread_local scratch;
// called from inside a pool task they run inline on that thread.
// Forward pass that records a tape.
void mlpForwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, float* tape);
// Backward pass from a tape of mlpForwardTape: given dy = dL/dy [batch x out], writes
// gParams = dL/dparams (overwritten) and, when gInputs is not null, dL/dx [batch x in].
void mlpBackwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* tape,
                     const float* dy, float* gParams, float* gInputs);
// Vector-Jacobian product in one call: gParams = J_params^T dy, gInputs = J_x^T dy (nullable).
void mlpVjp(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* dy, float* gParams,
            float* gInputs);

// Jacobian-vector product for a parameter tangent v: ydot = J_params v; y (nullable) gets the output.
void mlpJvp(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v, float* y,
            float* ydot);

// Forward and tangent pass for the R-operator, recording a tangent tape (mlpTapeSize(.., true)).
void mlpForwardTangentTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v,
                           float* tape);
// Backward pass of the tangent (Pearlmutter's R-operator) from a tape of mlpForwardTangentTape.
// gy = dL/dy and hy = (d2L/dy2) ydot, both [batch x out]. Writes hv = H v (exact Hessian of
// L(params) times v, second derivatives of the activations included) and, when gParams is not
// null, the gradient dL/dparams as well.
void mlpHvpBackwardTape(const MlpSpec& spec, const float* params, const float* x, size_t batch, const float* v,
                        const float* tape, const float* gy, const float* hy, float* hv, float* gParams);

// ---- Many small models in one call -------------------------------------------------------------
// T tasks share the architecture; task t has its own parameters params + t*P (P = mlpParamCount)
// and its own rows x + rowStart[t]*in .. rowStart[t+1]*in (rowStart has T+1 entries, rowStart[0]
// = 0). Threaded over tasks; each task runs single-threaded, so results match T separate calls.
// Forward: y rows as x rows.
void mlpForwardBatched(const MlpSpec& spec, int tasks, const float* params, const float* x, const int32_t* rowStart,
                       float* y);
// Backward: dy rows as y rows; gParams [T x P] (overwritten); gInputs nullable, rows as x rows.
void mlpVjpBatched(const MlpSpec& spec, int tasks, const float* params, const float* x, const int32_t* rowStart,
                   const float* dy, float* gParams, float* gInputs);

}  // namespace ol::nn
