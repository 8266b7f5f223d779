// MAML-RL's per-task curvature products for the Gaussian policy θ = [MLP weights W | log-std s],
// one call for a whole meta-batch, threaded over tasks (each task single-threaded, so the result
// does not depend on the thread count). Per row r of task t with action a, mean μ = MLP_W(x_r),
// and coefficient c_r:
//   kInnerHessian: ∇²L·v of the inner VPG loss L = −Σ_r c_r log π(a_r|x_r) (c = weight·advantage):
//     output cotangent gy = −c(a − μ)e^{−2s}, output Hessian c e^{−2s}, the μ–s cross term
//     2c(a − μ)e^{−2s} and ∂²/∂s² = 2c(a − μ)²e^{−2s}, through Pearlmutter's R-operator (exact,
//     activation second derivatives included).
//   kKlFisher: the Hessian of K = Σ_r c_r KL(π_old ‖ π_θ) at θ = θ_old (c = weight): the
//     Gauss-Newton product Jᵀ diag(c e^{−2s}) J v on W and 2(Σc)·v_s on the log-std.
// The products are taken many times at the same θ on the same rows (CG's Fisher products through
// the adaptation), so what does not depend on v is computed once by mamlGaussianPrepare: the
// forward tape (z_l, a_l per layer, nn's mlpForwardTape layout) and, for kInnerHessian, the
// backward pass of L (da_l = ∂L/∂a_l and dz_l = ∂L/∂z_l per layer, same layout). A product then
// runs only the tangent forward and the R-operator backward: 6 matrix products per hidden layer
// for the Hessian (against 8 with the forward and plain backward recomputed), 4 for the Fisher.
// Task t's tape and back slabs start at rowStart[t] · 2·Σ_l sizes[l+1] floats.
// Twin: src/backend/js/metarl/maml_products.ts; the derivation: src/metarl/maml/objectives.ts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/nn/mlp.h"

namespace ol::metarl {

enum class MamlProduct : int { kInnerHessian = 0, kKlFisher = 1 };

// Floats per row of a tape (and of a back cache): 2·Σ_l sizes[l+1].
size_t mamlTapeWidth(const nn::MlpSpec& spec);

// The v-independent part for tasks' parameters params [tasks × S] (S = mlpParamCount + dim): the
// forward tape of every task into tape [rows × width]; with back (kInnerHessian only, else null)
// the inner loss's backward cache into back [rows × width].
void mamlGaussianPrepare(const nn::MlpSpec& spec, int tasks, int dim, const float* params, const float* x,
                         const int32_t* rowStart, const float* actions, const double* coef, float* tape, float* back);

// out[t] = H_t v[t] (params, v, out [tasks × S]; out overwritten) from prepare's tape (and back for
// kInnerHessian). Task t owns rows rowStart[t] .. rowStart[t+1] of x [rows × in], actions
// [rows × dim] and coef [rows]; the MLP's output width is dim.
void mamlGaussianProducts(const nn::MlpSpec& spec, int tasks, int dim, MamlProduct mode, const float* params,
                          const float* x, const int32_t* rowStart, const float* actions, const double* coef,
                          const float* tape, const float* back, const float* v, float* out);

}  // namespace ol::metarl
