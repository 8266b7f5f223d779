/**
 * metarl kernels: MAML-RL's per-task curvature products for a meta-batch in one call
 * (native/core/metarl/maml_products.h; js twin src/backend/js/metarl/maml_products.ts), threaded
 * over tasks natively. The policy is Gaussian with a state-independent log-std: each task's packed
 * parameters are [MLP weights (nn layout) | log-std (one per output)], S floats in all. Task t owns
 * rows rowStart[t] .. rowStart[t+1] of x [rows × in], actions [rows × dim] and coef [rows].
 *
 * What does not depend on the product's vector is prepared once ({@link mamlTapeWidth} floats per
 * row): the forward tape and, for the inner Hessian, the inner loss's backward cache; the products
 * then run only the tangent forward and the R-operator backward.
 */
export interface MetaRlKernels {
  /**
   * Fills tape [rows × width] with every task's forward tape at its params [tasks × S]; with
   * back (not null), also the backward cache of the inner VPG loss −Σ_r coef_r log π(a_r|x_r).
   */
  mamlGaussianPrepare(
    sizes: Int32Array,
    params: Float32Array,
    x: Float32Array,
    rowStart: Int32Array,
    actions: Float32Array,
    coef: Float64Array,
    tape: Float32Array,
    back: Float32Array | null,
    s: MamlPrepareScalars,
  ): void;
  /**
   * out[t] = H_t · v[t] for every task t (params, v, out [tasks × S]; out overwritten), from the
   * tape (and back) mamlGaussianPrepare made at the same params. mode 0: H is the Hessian of the
   * inner VPG loss −Σ_r coef_r log π(a_r|x_r) (coef = weight × advantage; back required), exact
   * (R-operator, log-std cross terms included); mode 1: H is the Fisher of
   * Σ_r coef_r KL(π_old ‖ π) at π = π_old (coef = weight), the Hessian of that KL there.
   */
  mamlGaussianProducts(
    sizes: Int32Array,
    params: Float32Array,
    x: Float32Array,
    rowStart: Int32Array,
    actions: Float32Array,
    coef: Float64Array,
    tape: Float32Array,
    back: Float32Array | null,
    v: Float32Array,
    out: Float32Array,
    s: MamlProductScalars,
  ): void;
}

/** The scalars of mamlGaussianPrepare. */
export interface MamlPrepareScalars {
  /** Activation code of the hidden layers (nn's ActivationCode). */
  hidden: number;
  /** Activation code of the output layer. */
  output: number;
  /** Tasks in the call (rowStart has tasks + 1 entries). */
  tasks: number;
}

/** The scalars of mamlGaussianProducts. */
export interface MamlProductScalars extends MamlPrepareScalars {
  /** 0: inner-loss Hessian; 1: KL Fisher. */
  mode: 0 | 1;
}

/** Floats per row of a prepared tape or back cache: 2 · Σ_l sizes[l+1]. */
export function mamlTapeWidth(sizes: ArrayLike<number>): number {
  let w = 0;
  for (let l = 1; l < sizes.length; l++) w += 2 * (sizes[l] as number);
  return w;
}
