/**
 * meta kernels: batched gradient-based meta-learning over MLPs (native/core/meta/meta.h; js twin
 * src/backend/js/meta/). One call adapts every task of a meta-batch (threaded over tasks in
 * native) so no task round-trips through JavaScript per inner step.
 *
 * The model comes first as in the nn kernels: `sizes`, `hidden`, `output` activation codes.
 * Task t's support rows are rows [t·supportRows, (t+1)·supportRows) of supportX [T·S × in] and of
 * its targets: a Float32Array [rows × out] for loss 0 (mse) or an Int32Array of labels for loss 1
 * (cross-entropy); query rows likewise. `lr` holds one inner rate or one per parameter (a zero
 * freezes a parameter). Outputs are overwritten.
 */
export interface MetaKernels {
  /**
   * grad [P] = mean over tasks of each task's meta-gradient of its query loss after `steps`
   * inner SGD steps. mode: 0 second order (MAML), 1 first order (FOMAML), 2 Reptile (θ − φ),
   * 3 implicit (iMAML: proximal inner steps with `lambda`, then cgSteps of conjugate gradient on
   * (I + H/λ) u = g_query). lrGrad [lr.length] gets ∂(mean query loss)/∂lr when not null.
   * lossPre / lossPost [T] get each task's query loss before / after adaptation when not null.
   */
  metaGradBatch(
    sizes: Int32Array,
    hidden: number,
    output: number,
    params: Float32Array,
    lr: Float32Array,
    loss: number,
    steps: number,
    lambda: number,
    mode: number,
    cgSteps: number,
    tasks: number,
    supportRows: number,
    queryRows: number,
    supportX: Float32Array,
    supportY: Float32Array | Int32Array,
    queryX: Float32Array,
    queryY: Float32Array | Int32Array,
    grad: Float32Array,
    lrGrad: Float32Array | null,
    lossPre: Float32Array | null,
    lossPost: Float32Array | null,
  ): void;
  /**
   * Adapts every task from params with `steps` inner steps (proximal when lambda > 0) and writes
   * its query loss after 0..steps steps into losses [T × (steps+1)] and its final parameters into
   * adapted [T × P], each when not null.
   */
  metaAdaptEvaluate(
    sizes: Int32Array,
    hidden: number,
    output: number,
    params: Float32Array,
    lr: Float32Array,
    loss: number,
    steps: number,
    lambda: number,
    tasks: number,
    supportRows: number,
    queryRows: number,
    supportX: Float32Array,
    supportY: Float32Array | Int32Array,
    queryX: Float32Array,
    queryY: Float32Array | Int32Array,
    losses: Float32Array | null,
    adapted: Float32Array | null,
  ): void;
}

/** Loss codes shared with native/core/meta/loss.h. */
export const MetaLossCode = { mse: 0, crossEntropy: 1 } as const;
/** Mode codes shared with native/core/meta/meta.h. */
export const MetaModeCode = { secondOrder: 0, firstOrder: 1, reptile: 2, implicit: 3 } as const;
