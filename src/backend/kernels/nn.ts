/**
 * nn kernels: a multilayer perceptron over one flat float32 parameter vector, with its
 * derivatives (native/core/nn/mlp.h; js twin src/backend/js/nn/mlp.ts).
 *
 * Every call takes the architecture: `sizes` (Int32Array of widths, at least 2) first, and the
 * `hidden` and `output` activation codes ({@link ActivationCode}) after it or, in the kernels with
 * ten or more arguments, in the scalars object that comes last ({@link MlpScalars}). Parameter
 * layout: for each weight layer l, W_l row-major [sizes[l] × sizes[l+1]] then b_l [sizes[l+1]].
 * Outputs are overwritten. Buffers must not alias one another.
 *
 * A *tape* records what backward passes need (see {@link mlpTapeSize}); it comes from
 * mlpForwardTape / mlpForwardTangentTape of the same backend, params, x and batch.
 */
export interface NnKernels {
  /** y [batch × out] = f(x [batch × in]; params). */
  mlpForward(...a: [...MlpRowArgs, y: Float32Array]): void;
  /** Forward pass recording a tape (mlpTapeSize(sizes, batch, false) floats); y sits at mlpTapeOutput. */
  mlpForwardTape(...a: [...MlpRowArgs, tape: Float32Array]): void;
  /** Backward pass from a tape: gParams = J_paramsᵀ dy; gInputs = J_xᵀ dy when not null. */
  mlpBackwardTape(
    sizes: Int32Array,
    params: Float32Array,
    x: Float32Array,
    tape: Float32Array,
    dy: Float32Array,
    gParams: Float32Array,
    gInputs: Float32Array | null,
    s: MlpScalars,
  ): void;
  /** Forward and backward in one call (the kernel keeps its own tape). */
  mlpVjp(...a: [...MlpRowArgs, dy: Float32Array, gParams: Float32Array, gInputs: Float32Array | null]): void;
  /** ydot = J_params v; y gets the output when not null. */
  mlpJvp(...a: [...MlpRowArgs, v: Float32Array, y: Float32Array | null, ydot: Float32Array]): void;
  /** Forward and tangent pass for parameter tangent v, recording a tangent tape (mlpTapeSize(.., true)). */
  mlpForwardTangentTape(...a: [...MlpRowArgs, v: Float32Array, tape: Float32Array]): void;
  /**
   * R-operator backward pass from a tangent tape: with gy = ∂L/∂y and hy = (∂²L/∂y²)·ydot, writes
   * hv = H v, the exact Hessian of L(params) times v; gParams (when not null) gets ∂L/∂params too.
   */
  mlpHvpBackwardTape(
    sizes: Int32Array,
    params: Float32Array,
    x: Float32Array,
    v: Float32Array,
    tape: Float32Array,
    gy: Float32Array,
    hy: Float32Array,
    hv: Float32Array,
    gParams: Float32Array | null,
    s: MlpScalars,
  ): void;
  /**
   * Forward of `tasks` models with one architecture, each with its own parameters
   * (params [tasks × P]) over its own rows x[rowStart[t] .. rowStart[t+1]) (rowStart: tasks+1
   * non-decreasing entries from 0). Threaded over tasks; matches separate calls.
   */
  mlpForwardBatched(
    sizes: Int32Array,
    hidden: number,
    output: number,
    tasks: number,
    params: Float32Array,
    x: Float32Array,
    rowStart: Int32Array,
    y: Float32Array,
  ): void;
  /** Per-task VJP (forward recomputed inside): gParams [tasks × P]; gInputs rows as x when not null. */
  mlpVjpBatched(
    sizes: Int32Array,
    params: Float32Array,
    x: Float32Array,
    rowStart: Int32Array,
    dy: Float32Array,
    gParams: Float32Array,
    gInputs: Float32Array | null,
    s: MlpBatchedScalars,
  ): void;
  /**
   * GRU forward over `batch` time-major sequences (native/core/nn/gru.h; js twin
   * src/backend/js/nn/gru.ts): hs [steps × batch × H] from xs [steps × batch × I], h0 [batch × H]
   * (null: zeros) and resets [steps × batch] (null: none; nonzero zeroes that row's state before
   * step t). `tape` ({@link gruTapeSize} floats, or null) records what gruBackward needs.
   * Threaded over the batch; results do not depend on the thread count.
   */
  gruForward(
    params: Float32Array,
    xs: Float32Array,
    h0: Float32Array | null,
    resets: Uint8Array | null,
    hs: Float32Array,
    tape: Float32Array | null,
    s: GruScalars,
  ): void;
  /**
   * GRU BPTT from a gruForward tape (same params, xs, resets): dHs [steps × batch × H] is ∂L/∂h_t
   * for every step. Writes gParams (overwritten) and, when not null, gXs and gH0. `work` holds
   * {@link gruWorkSize} floats of scratch. `s.truncate` k > 0 stops the gradient between steps
   * t − 1 and t when t is a multiple of k (truncated BPTT over segments of k steps); 0 is full BPTT.
   */
  gruBackward(
    params: Float32Array,
    xs: Float32Array,
    resets: Uint8Array | null,
    tape: Float32Array,
    dHs: Float32Array,
    gParams: Float32Array,
    gXs: Float32Array | null,
    gH0: Float32Array | null,
    work: Float32Array,
    s: GruBackwardScalars,
  ): void;
  /**
   * LSTM forward (PyTorch's nn.LSTM, gates i, f, g, o; native/core/nn/lstm.h, js twin
   * src/backend/js/nn/lstm.ts): hs and cs [steps × batch × H] from xs, h0 and c0 (null: zeros) and
   * resets (zero both h and c). Layout: Wi [I × 4H], Wh [H × 4H], bi [4H], bh [4H]; `tape`
   * ({@link lstmTapeSize} floats, or null) records what lstmBackward needs.
   */
  lstmForward(
    params: Float32Array,
    xs: Float32Array,
    h0: Float32Array | null,
    c0: Float32Array | null,
    resets: Uint8Array | null,
    hs: Float32Array,
    cs: Float32Array,
    tape: Float32Array | null,
    s: GruScalars,
  ): void;
  /** LSTM BPTT from an lstmForward tape, as gruBackward; gC0 (when not null) gets ∂L/∂c0. */
  lstmBackward(
    params: Float32Array,
    xs: Float32Array,
    resets: Uint8Array | null,
    tape: Float32Array,
    dHs: Float32Array,
    gParams: Float32Array,
    gXs: Float32Array | null,
    gH0: Float32Array | null,
    gC0: Float32Array | null,
    work: Float32Array,
    s: GruBackwardScalars,
  ): void;
}

/** Sizes of a GRU kernel call. Parameter layout: Wi [I × 3H], Wh [H × 3H], bi [3H], bh [3H]; gates r, z, n. */
export interface GruScalars {
  /** I. */
  inputSize: number;
  /** H. */
  hiddenSize: number;
  /** T (sequences are time-major: row (t, b) is t·batch + b). */
  steps: number;
  /** B. */
  batch: number;
}

/** Sizes of gruBackward, and its truncation (0: full BPTT). */
export interface GruBackwardScalars extends GruScalars {
  truncate: number;
}

/** Parameters of a GRU: (I + H + 2)·3H. */
export function gruParamCount(inputSize: number, hiddenSize: number): number {
  return (inputSize + hiddenSize + 2) * 3 * hiddenSize;
}

/** Floats of a GRU tape: gates [TB × 3H] (r, z, n), hn [TB × H], hPrev [TB × H]. */
export function gruTapeSize(s: GruScalars): number {
  return 5 * s.steps * s.batch * s.hiddenSize;
}

/** Floats of gruBackward's work buffer. */
export function gruWorkSize(s: GruScalars): number {
  const H = s.hiddenSize;
  return 4 * s.steps * s.batch * H + s.batch * H + 3 * H * (H + s.inputSize);
}

/**
 * The leading arguments of the kernels over one batch: the architecture (`sizes`, the `hidden`
 * and `output` activation codes), the parameters and x [batch × in].
 */
export type MlpRowArgs = [
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
];

/**
 * The scalars of a backward kernel over one batch (one object per caller, refilled per call).
 */
export interface MlpScalars {
  /** Activation code of the hidden layers ({@link ActivationCode}). */
  hidden: number;
  /** Activation code of the output layer. */
  output: number;
  /** Rows of x. */
  batch: number;
}

/** The scalars of mlpVjpBatched. */
export interface MlpBatchedScalars {
  hidden: number;
  output: number;
  /** Models in the call (rowStart has tasks + 1 entries). */
  tasks: number;
}

/** Activation codes shared with native/core/nn/mlp.h. */
export const ActivationCode = {
  identity: 0,
  tanh: 1,
  relu: 2,
  leakyRelu: 3,
  gelu: 4,
  sigmoid: 5,
  softplus: 6,
} as const;

/** Negative slope of leaky ReLU. */
export const LEAKY_SLOPE = 0.01;

/** Number of parameters of an MLP with these widths. */
export function mlpParamCount(sizes: ArrayLike<number>): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += ((sizes[l] as number) + 1) * (sizes[l + 1] as number);
  return n;
}

/** Offset of W_l in the parameter vector (b_l follows at + in·out). */
export function mlpLayerOffset(sizes: ArrayLike<number>, layer: number): number {
  let off = 0;
  for (let l = 0; l < layer; l++) off += ((sizes[l] as number) + 1) * (sizes[l + 1] as number);
  return off;
}

/**
 * Floats in a tape: per layer [batch × out_l] parts z, a (or, with `tangent`, z, ż, a, ȧ).
 * Same layout in both backends.
 */
export function mlpTapeSize(sizes: ArrayLike<number>, batch: number, tangent: boolean): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += (tangent ? 4 : 2) * batch * (sizes[l] as number);
  return n;
}

/** Offset of the model output y inside a tape; with `tangent`, ydot follows at + batch·out. */
export function mlpTapeOutput(sizes: ArrayLike<number>, batch: number, tangent: boolean): number {
  const L = sizes.length - 1;
  let off = 0;
  for (let l = 1; l < L; l++) off += (tangent ? 4 : 2) * batch * (sizes[l] as number);
  return off + (tangent ? 2 : 1) * batch * (sizes[L] as number);
}

/** Parameters of an LSTM: (I + H + 2)·4H. */
export function lstmParamCount(inputSize: number, hiddenSize: number): number {
  return (inputSize + hiddenSize + 2) * 4 * hiddenSize;
}

/** Floats of an LSTM tape: gates [TB × 4H] (i, f, g, o), cPrev, tanh(c), hPrev [TB × H] each. */
export function lstmTapeSize(s: GruScalars): number {
  return 7 * s.steps * s.batch * s.hiddenSize;
}

/** Floats of lstmBackward's work buffer. */
export function lstmWorkSize(s: GruScalars): number {
  const H = s.hiddenSize;
  return 4 * s.steps * s.batch * H + 2 * s.batch * H + 4 * H * (H + s.inputSize);
}
