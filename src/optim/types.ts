// The shapes of the optim module: optax's GradientTransformation split into two kinds over flat
// Float32Array buffers. A GradientTransformation rewrites a gradient in place (clipping, filters,
// coupled decay); an Optimizer applies an update to the parameters in place, in one fused kernel
// call per buffer. chain(...transforms, optimizer) composes them.

/** A step-size schedule: optax's convention, `count` = updates already applied (0 on the first). */
export type Schedule = (count: number) => number;

/** A learning rate: a fixed number or a schedule. */
export type LearningRate = number | Schedule;

/**
 * One named segment of a flat parameter buffer. Structurally compatible with the nn module's
 * ParamLayout segments: `size` may be omitted when `shape` is given.
 */
export interface LayoutSegment {
  name: string;
  offset: number;
  size?: number;
  shape?: readonly number[];
}

/** The segments of a flat parameter buffer (a model's `layout`). */
export type ParamLayout = readonly LayoutSegment[];

/**
 * Optimizer state: plain typed arrays and numbers, so it can be saved and restored exactly
 * (see saveState / restoreState). Treat it as opaque; it is changed in place by `step`.
 */
export interface OptState {
  /** Updates applied so far (optax's `count`). */
  count: number;
  /** Per-parameter buffers (moments, accumulators) and small per-segment arrays. */
  buffers: Record<string, Float32Array | Float64Array>;
  /** Scalar state (accumulated norms, phase flags, counters). */
  scalars: Record<string, number>;
  /** States of inner transformations (chain elements, wrapped optimizers). */
  inner: OptState[];
}

/**
 * The curvature of the current loss at the current parameters, as products (no matrix is
 * formed): what second-order rules (fosi, saddleFreeNewton, naturalGradient) need from the
 * caller. `nn.curvature.oracle(net, params, x, batch, loss)` builds one for an nn model.
 */
export interface CurvatureOracle {
  /** out ← H·v, the loss Hessian times v. */
  hvp?(v: Float32Array, out: Float32Array): void;
  /** out ← G·v, the Gauss-Newton (= Fisher for the canonical losses) matrix times v. */
  ggnvp?(v: Float32Array, out: Float32Array): void;
}

/** Extra per-step inputs some rules need. */
export interface StepExtra {
  /** The loss at the current parameters (AEGD needs it). */
  loss?: number;
  /** Curvature products at the current parameters (second-order rules; the others ignore it). */
  curvature?: CurvatureOracle;
}

/** An update rule: `step` changes `params` (and `state`) in place. */
export interface Optimizer {
  readonly kind: 'optimizer';
  /** Rule name, e.g. 'adam' or 'chain(clipByGlobalNorm, adam)'. */
  readonly name: string;
  /** Fresh state for a parameter buffer. */
  init(params: Float32Array): OptState;
  /**
   * Applies one update in place: `params` and `state` change, `grads` is left as it is. Returns
   * true when the parameters were updated, false when the step was skipped (non-finite gradient)
   * or only accumulated (multiSteps).
   */
  step(params: Float32Array, grads: Float32Array, state: OptState, extra?: StepExtra): boolean;
}

/** A gradient transformation: `update` rewrites `grads` in place (it may read `params`). */
export interface GradientTransformation {
  readonly kind: 'transform';
  readonly name: string;
  /** A fresh state for parameters of this size (`params` is only read). */
  init(params: Float32Array): OptState;
  /** Rewrites `grads` in place and advances `state`. */
  update(grads: Float32Array, state: OptState, params: Float32Array, extra?: StepExtra): void;
}
