// Exported types of the nn module: models over flat parameters, losses, layouts, initializers.
import type { Key } from '../random/index.js';

/** Elementwise activations (gelu is the tanh approximation; leaky-relu has slope 0.01). */
export type ActivationName = 'identity' | 'tanh' | 'relu' | 'leaky-relu' | 'gelu' | 'sigmoid' | 'softplus';

/** One named slice of a flat parameter vector. */
export interface ParamSegment {
  /** `dense{l}.w` (shape [in, out], row-major) or `dense{l}.b` (shape [out]). */
  readonly name: string;
  readonly shape: readonly number[];
  /** First element in the flat vector. */
  readonly offset: number;
  /** Number of elements (product of shape). */
  readonly size: number;
}

/** The segments of a flat parameter vector, in order, covering it exactly. */
export type ParamLayout = readonly ParamSegment[];

/** Weight initialization schemes. Biases start at 0 unless said otherwise. */
export type InitName =
  /** Orthogonal weights times a gain (CleanRL's default: √2 hidden, `outputGain` for the head). */
  | 'orthogonal'
  /** Xavier/Glorot uniform: U(±gain·√(6/(in+out))). */
  | 'xavier'
  /** He/Kaiming normal: N(0, gain²·2/in). */
  | 'he'
  /** PyTorch's nn.Linear default: weights and biases U(±1/√in). */
  | 'torch'
  /** N(0, std²) weights (`std`, default 0.01; Finn et al.'s MAML uses a truncated variant). */
  | 'normal';

/** Options of a model's `init`: the scheme and its gains. */
export interface InitOptions {
  scheme: InitName;
  /** Gain of hidden layers (orthogonal: √2 by default; xavier/he: 1). */
  gain?: number;
  /** Gain of the last layer (orthogonal: 1 by default; use 0.01 for a policy head as in CleanRL). */
  outputGain?: number;
  /** Standard deviation for 'normal' (default 0.01). */
  std?: number;
  /** Constant bias value (default 0; ignored by 'torch'). */
  bias?: number;
}

/** Options of `nn.mlp`: layer widths and the hidden activation. */
export interface MlpOptions {
  /** Widths, input first: [4, 64, 64, 2] is two hidden layers of 64. Each ≥ 1, at least 2 entries. */
  sizes: readonly number[];
  /** Activation of the hidden layers. */
  activation: ActivationName;
  /** Activation of the output layer (default 'identity'). */
  outputActivation?: ActivationName;
  /** Initializer used by `init` (default: orthogonal, gain √2, output gain 1, zero biases). */
  init?: InitName | InitOptions;
}

/** Gradient of a model w.r.t. its parameters and its inputs. */
export interface VjpResult {
  params: Float32Array;
  inputs: Float32Array;
}

/**
 * A loss over a model output y [batch × out]: a scalar value, its gradient and its Hessian-vector
 * product w.r.t. y. Losses bind their targets when created (`nn.loss.mse(target)`).
 */
export interface Loss {
  readonly name: string;
  /** Throws a RangeError when the loss cannot apply to outputs of this width and batch. */
  check(outDim: number, batch: number): void;
  /** L(y). Accepts float64 arrays too (gradient checks). */
  value(y: ArrayLike<number>, batch: number): number;
  /** Writes ∂L/∂y into `out` and returns L(y). */
  grad(y: Float32Array, batch: number, out: Float32Array): number;
  /** Writes (∂²L/∂y²)·v into `out`; undefined when the loss gives no second derivative. */
  hvp?(y: Float32Array, batch: number, v: Float32Array, out: Float32Array): void;
}

/** Callbacks of a user-supplied loss (`nn.loss.custom`). */
export interface CustomLossSpec {
  name?: string;
  /** Output width the loss expects, if any (checked against the model). */
  outDim?: number;
  /** L(y) for the outputs y [batch × out]. */
  value(y: ArrayLike<number>, batch: number): number;
  /** Writes ∂L/∂y into `out`. */
  grad(y: Float32Array, batch: number, out: Float32Array): void;
  /** Writes (∂²L/∂y²)·v into `out` (optional: second-order tools need it). */
  hvp?(y: Float32Array, batch: number, v: Float32Array, out: Float32Array): void;
}

/** A model over one flat Float32Array of parameters. */
export interface Model {
  /** Named segments of the parameter vector. */
  readonly layout: ParamLayout;
  /** Number of parameters. */
  readonly size: number;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Fresh parameters, deterministic in the seed (or key) and the model's initializer. */
  init(seed: number | Key): Float32Array;
  /** y [batch × out]. */
  forward(params: Float32Array, x: Float32Array, batch: number): Float32Array;
  /** Vector-Jacobian product: gradients w.r.t. parameters and inputs for output cotangent dy. */
  vjp(params: Float32Array, x: Float32Array, batch: number, dy: Float32Array): VjpResult;
  /** Jacobian-vector product: output tangent for parameter tangent v. */
  jvp(params: Float32Array, x: Float32Array, batch: number, v: Float32Array): Float32Array;
  /** Exact Hessian-vector product of loss(forward(params)) w.r.t. params (R-operator). */
  hvp(params: Float32Array, x: Float32Array, batch: number, loss: Loss, v: Float32Array): Float32Array;
}

/** A multilayer perceptron (`nn.mlp`). The *Into forms write into caller buffers and do not allocate. */
export interface Mlp extends Model {
  readonly sizes: readonly number[];
  readonly activation: ActivationName;
  readonly outputActivation: ActivationName;
  /** forward into y [batch × out]; returns y. */
  forwardInto(params: Float32Array, x: Float32Array, batch: number, y: Float32Array): Float32Array;
  /** vjp into gParams (overwritten) and, when given, gInputs [batch × in]. */
  vjpInto(
    params: Float32Array,
    x: Float32Array,
    batch: number,
    dy: Float32Array,
    gParams: Float32Array,
    gInputs?: Float32Array | null,
  ): void;
  /** jvp into ydot [batch × out]; y (when given) gets the output too. */
  jvpInto(
    params: Float32Array,
    x: Float32Array,
    batch: number,
    v: Float32Array,
    ydot: Float32Array,
    y?: Float32Array | null,
  ): void;
  /** Gradient of loss(forward(params)) into `grad`; returns the loss value. */
  gradInto(params: Float32Array, x: Float32Array, batch: number, loss: Loss, grad: Float32Array): number;
  /**
   * Gauss-Newton-vector product Jᵀ H_ℓ J v of loss(forward(params)) w.r.t. params (`nn.ggnvp`):
   * positive semi-definite for a loss convex in the outputs; equals `hvp` where the loss gradient
   * w.r.t. the outputs vanishes (the Fisher of a KL at its minimum, as in TRPO).
   */
  ggnvp(params: Float32Array, x: Float32Array, batch: number, loss: Loss, v: Float32Array): Float32Array;
  /** H v into `out`; `grad` (when given) gets the gradient too; returns the loss value. */
  hvpInto(
    params: Float32Array,
    x: Float32Array,
    batch: number,
    loss: Loss,
    v: Float32Array,
    out: Float32Array,
    grad?: Float32Array | null,
  ): number;
  /**
   * Forward of T models with this architecture, each with its own parameters (params [T × size])
   * over its own rows: task t owns rows rowStart[t] .. rowStart[t+1] of x (rowStart: T+1
   * non-decreasing entries from 0). One call, threaded over tasks in native.
   */
  forwardBatched(params: Float32Array, x: Float32Array, rowStart: Int32Array, y?: Float32Array): Float32Array;
  /** Per-task VJP for the same layout as forwardBatched: gParams [T × size]; gInputs rows as x. */
  vjpBatched(
    params: Float32Array,
    x: Float32Array,
    rowStart: Int32Array,
    dy: Float32Array,
    gParams?: Float32Array,
    gInputs?: Float32Array | null,
  ): Float32Array;
  /** Slow float64 reference forward (for gradient checks), same math as the kernels. */
  forward64(params: ArrayLike<number>, x: ArrayLike<number>, batch: number): Float64Array;
}

/** What `nn.checkGrad` reports. */
export interface GradCheckResult {
  /** max |analytic − numeric| over the checked coordinates. */
  maxAbsError: number;
  /** maxAbsError / max(max |numeric|, 1e-12): scale-free. */
  relError: number;
  /** The checked coordinates. */
  indices: number[];
  analytic: Float64Array;
  numeric: Float64Array;
}

/** What `nn.hessianEigs` returns. */
export interface HessianEigs {
  /** Eigenvalues, largest first (by value, or by magnitude with which: 'magnitude'). */
  values: Float64Array;
  /** Unit eigenvectors, one per value. */
  vectors: Float32Array[];
  /** Lanczos steps taken. */
  iterations: number;
}
