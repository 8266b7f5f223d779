/**
 * bilevel kernels: fused hypergradient evaluations for the ridge and data hyper-cleaning
 * problems (native/core/bilevel; js twin src/backend/js/bilevel/). One call runs T plain-SGD
 * inner steps w ← w − lr·∇_w f(w, λ) from `w` (w_T is left in `w`) and then the reverse sweep
 * over the stored trajectory, or — with `forward` — carries one tangent dw/dλ_j per
 * hyperparameter along the steps; `grad` receives dF/dλ and the call returns F(w_T).
 */
export interface SweepScalars {
  /** Inner SGD steps T (an integer ≥ 1). */
  steps: number;
  /** Inner step size (> 0). */
  lr: number;
  /** false: reverse sweep (scratch ≥ steps·|w|); true: forward sweep (scratch ≥ |λ|·|w|). */
  forward: boolean;
}

/** The hyper-cleaning kernel's scalars: the sweep's, the number of classes and the L2 on w. */
export interface CleaningScalars extends SweepScalars {
  /** Classes k (≥ 2); w = [W (d × k, row-major), b (k)]. */
  classes: number;
  /** L2 weight on w (≥ 0): f adds (l2/2)·‖w‖². */
  l2: number;
}

/** The bilevel kernels. */
export interface BilevelKernels {
  /**
   * Ridge with per-feature log L2 strengths (bilevel.problems.ridge): f = (1/n)Σ(x·w − y)² +
   * Σ e^{λ_j} w_j², F the validation mean squared error. xTrain [n × d], xVal [m × d], λ and w
   * [d], grad [d]. Returns F(w_T).
   */
  bilevelRidgeHypergrad(
    xTrain: Float32Array,
    yTrain: Float32Array,
    xVal: Float32Array,
    yVal: Float32Array,
    lambda: Float32Array,
    w: Float32Array,
    scratch: Float32Array,
    grad: Float32Array,
    scalars: SweepScalars,
  ): number;
  /**
   * Data hyper-cleaning on a linear softmax classifier (bilevel.problems.weightedLoss with its
   * default model): f = (1/n)Σ σ(λ_r)·CE_r + (l2/2)‖w‖², F the validation cross-entropy. λ and
   * grad [n]; w [(d + 1)·k] laid out as nn.mlp({ sizes: [d, k] }). Returns F(w_T).
   */
  bilevelCleaningHypergrad(
    xTrain: Float32Array,
    yTrain: Int32Array,
    xVal: Float32Array,
    yVal: Int32Array,
    lambda: Float32Array,
    w: Float32Array,
    scratch: Float32Array,
    grad: Float32Array,
    scalars: CleaningScalars,
  ): number;
}
