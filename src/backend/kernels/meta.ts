/**
 * meta kernels: batched gradient-based meta-learning over MLPs (native/core/meta/meta.h; js twin
 * src/backend/js/meta/). One call adapts every task of a meta-batch (threaded over tasks in
 * native) so no task round-trips through JavaScript per inner step.
 *
 * The model is `sizes` with the activation codes `hidden`/`output` of the scalars object (as in
 * the nn kernels). Task t's support rows are rows [t·supportRows, (t+1)·supportRows) of supportX
 * [T·S × in] and of its targets: a Float32Array [rows × out] for loss 'mse' or an Int32Array of
 * labels for 'crossEntropy'; query rows likewise. `lr` holds one inner rate or one per parameter
 * (a zero freezes a parameter). Outputs are overwritten. Callers keep one scalars object and
 * refill it per call.
 */
export interface MetaKernels {
  /**
   * grad [P] = mean over tasks of each task's meta-gradient of its query loss after `steps`
   * inner SGD steps, formed as `mode` says. lrGrad [lr.length] gets ∂(mean query loss)/∂lr when
   * not null. lossPre / lossPost [T] get each task's query loss before / after adaptation when
   * not null.
   */
  metaGradBatch(
    sizes: Int32Array,
    params: Float32Array,
    lr: Float32Array,
    supportX: Float32Array,
    supportY: Float32Array | Int32Array,
    queryX: Float32Array,
    queryY: Float32Array | Int32Array,
    grad: Float32Array,
    lrGrad: Float32Array | null,
    lossPre: Float32Array | null,
    lossPost: Float32Array | null,
    scalars: MetaGradScalars,
  ): void;
  /**
   * Adapts every task from params with `steps` inner steps (proximal when lambda > 0) and writes
   * its query loss after 0..steps steps into losses [T × (steps+1)] and its final parameters into
   * adapted [T × P], each when not null.
   */
  metaAdaptEvaluate(
    sizes: Int32Array,
    params: Float32Array,
    lr: Float32Array,
    supportX: Float32Array,
    supportY: Float32Array | Int32Array,
    queryX: Float32Array,
    queryY: Float32Array | Int32Array,
    losses: Float32Array | null,
    adapted: Float32Array | null,
    scalars: MetaAdaptScalars,
  ): void;
}

/** The task loss: mean squared error over outputs, or softmax cross-entropy over labels. */
export type MetaLossKind = 'mse' | 'crossEntropy';

/**
 * How metaGradBatch forms the meta-gradient: 'secondOrder' MAML (backpropagates through the
 * inner steps), 'firstOrder' FOMAML (the query gradient at the adapted parameters), 'reptile'
 * (θ − φ), 'implicit' iMAML (proximal inner steps with `lambda`, then cgSteps of conjugate
 * gradient on (I + H/λ) u = g_query).
 */
export type MetaMode = 'secondOrder' | 'firstOrder' | 'reptile' | 'implicit';

/** The scalars of metaAdaptEvaluate. */
export interface MetaAdaptScalars {
  /** Hidden activation code (src/nn/activations.ts). */
  hidden: number;
  /** Output activation code. */
  output: number;
  loss: MetaLossKind;
  /** Inner steps (≥ 1 for metaGradBatch, ≥ 0 here). */
  steps: number;
  /** Proximal weight of the inner problem L + λ/2·|φ − θ|² (0: plain SGD steps). */
  lambda: number;
  /** T, the tasks in the batch. */
  tasks: number;
  supportRows: number;
  queryRows: number;
}

/** The scalars of metaGradBatch: metaAdaptEvaluate's, plus how the meta-gradient is formed. */
export interface MetaGradScalars extends MetaAdaptScalars {
  mode: MetaMode;
  /** Conjugate-gradient steps ('implicit' only). */
  cgSteps: number;
}
