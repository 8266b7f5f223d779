// bilevel: fused hypergradient evaluations for two built-in problems — ridge with per-feature log
// L2 strengths, and data hyper-cleaning (per-example sigmoid weights on a linear softmax
// classifier). One call runs T plain-SGD inner steps w ← w − lr·∇_w f(w, λ) and the reverse sweep
// (stored trajectory) or the forward sweep (one tangent per hyperparameter) — the loops that
// src/bilevel/{reverse,forward}.ts run through problem objects. Math in double, w and the
// trajectory stored as float32, as the js twin (src/backend/js/bilevel) does.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ol::bilevel {

struct Sweep {
  // Inner SGD steps T (>= 1) and step size.
  int steps;
  float lr;
  // false: reverse (trajectory [steps × |w|] used as scratch); true: forward (tangents [|λ| × |w|]).
  bool forward;
};

// Ridge: f = (1/n)Σ(x·w − y)² + Σ e^{λ_j} w_j², F = (1/m)Σ(x·w − y)² on the validation rows.
// `w` holds w0 on entry and w_T on return; `grad` receives dF/dλ [d]. Returns F(w_T).
double ridgeHypergrad(const float* xTrain, const float* yTrain, size_t n, const float* xVal, const float* yVal,
                      size_t m, size_t d, const float* lambda, float* w, float* scratch, float* grad,
                      const Sweep& s);

// Hyper-cleaning: f = (1/n)Σ σ(λ_r)·CE(Wᵀx_r + b, y_r) + (l2/2)‖w‖², F = (1/m)Σ CE on the
// validation rows; w = [W (d × k, row-major), b (k)] as nn.mlp({ sizes: [d, k] }) lays it out.
double cleaningHypergrad(const float* xTrain, const int32_t* yTrain, size_t n, const float* xVal, const int32_t* yVal,
                         size_t m, size_t d, size_t k, float l2, const float* lambda, float* w, float* scratch,
                         float* grad, const Sweep& s);

}  // namespace ol::bilevel
