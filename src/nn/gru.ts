// A GRU cell over flat parameters, forward over a batch of sequences and BPTT, on the backend's
// GRU kernels (native/core/nn/gru.h, js twin src/backend/js/nn/gru.ts; float32). Equations are
// PyTorch's nn.GRU (gates r, z, n in that order):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
// A reset mask zeroes h before a step (a trial boundary in RL²), and BPTT stops there.
// Two forms: forward/backward take any arrays and allocate (convenient); forwardInto/backwardInto
// run on a workspace of Float32Arrays and allocate nothing (training loops).
import { getBackend } from '../backend/index.js';
import { type GruScalars, gruParamCount, gruTapeSize, gruWorkSize } from '../backend/kernels/nn.js';
import { key as makeKey, uniform } from '../random/index.js';
import { checkInteger } from '../util/check.js';
import type { ParamLayout } from './types.js';

/** Options of `gru`. */
export interface GruOptions {
  inputSize: number;
  hiddenSize: number;
}

/** Inputs of one forward pass: `steps` × `batch` sequences, time-major. */
export interface GruInputs {
  /** [steps × batch × inputSize], time-major (row (t, b) is t·batch + b). */
  xs: ArrayLike<number>;
  steps: number;
  batch: number;
  /** Initial hidden state [batch × hiddenSize] (default zeros). */
  h0?: ArrayLike<number>;
  /** Shape [steps × batch]; a nonzero entry zeroes that row's hidden state before step t (default none). */
  resets?: ArrayLike<number>;
}

/** A forward pass: every hidden state, and what BPTT needs. */
export interface GruForward {
  /** [steps × batch × hiddenSize]. */
  hs: Float64Array;
  readonly inputs: GruInputs;
  /** @internal the kernel's tape and the float32 inputs it was recorded from */
  readonly tape: Float32Array;
  /** @internal */
  readonly xs32: Float32Array;
  /** @internal */
  readonly resets8: Uint8Array | null;
}

/** Gradients of a scalar through a forward pass. */
export interface GruGrads {
  /** w.r.t. the flat parameters. */
  dParams: Float64Array;
  /** w.r.t. the inputs [steps × batch × inputSize]. */
  dXs: Float64Array;
  /** w.r.t. h0 [batch × hiddenSize]. */
  dH0: Float64Array;
}

/** Options of a backward pass. */
export interface GruBackwardOptions {
  /**
   * Truncated BPTT: k > 0 stops the gradient between steps t − 1 and t when t is a multiple of k
   * (segments of k steps; the forward state still flows through). 0 (default) is full BPTT.
   */
  truncate?: number;
}

/** The buffers of allocation-free passes for one (steps, batch) shape: outputs and scratch. */
export interface GruWorkspace {
  readonly steps: number;
  readonly batch: number;
  /** Hidden states [steps × batch × H] (forwardInto's output). */
  readonly hs: Float32Array;
  /** What backwardInto needs from forwardInto. */
  readonly tape: Float32Array;
  /** backwardInto's scratch. */
  readonly work: Float32Array;
  /** ∂L/∂params (backwardInto's output, overwritten). */
  readonly gParams: Float32Array;
  /** ∂L/∂xs [steps × batch × I]. */
  readonly gXs: Float32Array;
  /** ∂L/∂h0 [batch × H]. */
  readonly gH0: Float32Array;
}

/** Options of forwardInto. */
export interface GruRunOptions {
  /** [batch × H] (default zeros). May be the hs of a one-step workspace: a rollout steps in place. */
  h0?: Float32Array | null;
  /** [steps × batch] (default none). */
  resets?: Uint8Array | null;
  /** Record the tape for backwardInto (default true; false for rollouts). */
  record?: boolean;
}

/** Options of backwardInto: the resets of the forward pass, and the truncation. */
export interface GruIntoBackwardOptions extends GruBackwardOptions {
  resets?: Uint8Array | null;
}

/** A GRU over flat parameters laid out as `gru.wi` [I, 3H], `gru.wh` [H, 3H], `gru.bi` [3H], `gru.bh` [3H]. */
export interface Gru {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly size: number;
  readonly layout: ParamLayout;
  /** PyTorch's init: every parameter U(−1/√H, 1/√H). */
  init(seed: number): Float32Array;
  /**
   * Runs the cell over the sequences (float32 kernel, copies of the inputs) and keeps the tape for
   * `backward`. Returns the hidden states as float64. TypeError/RangeError on a wrong-length
   * `params` (≠ size), `xs`, `h0` or `resets`, or steps/batch not integers ≥ 1.
   */
  forward(params: ArrayLike<number>, inputs: GruInputs): GruForward;
  /** BPTT: `dHs` [steps × batch × H] is ∂L/∂h_t for every t (the loss's direct dependence). */
  backward(params: ArrayLike<number>, fwd: GruForward, dHs: ArrayLike<number>, options?: GruBackwardOptions): GruGrads;
  /** Buffers for forwardInto/backwardInto over `steps` × `batch` (allocate once, reuse). */
  workspace(steps: number, batch: number): GruWorkspace;
  /** Forward into `ws.hs` (and `ws.tape` unless `record: false`); returns `ws.hs`. */
  forwardInto(params: Float32Array, xs: Float32Array, ws: GruWorkspace, options?: GruRunOptions): Float32Array;
  /** BPTT from the last forwardInto on `ws` (same params, xs, resets) into ws.gParams, ws.gXs, ws.gH0. */
  backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: GruWorkspace,
    dHs: Float32Array,
    options?: GruIntoBackwardOptions,
  ): void;
}

function checkLength(a: ArrayLike<number>, n: number, name: string): void {
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number')
    throw new TypeError(`${name}: expected an array of numbers`);
  if (a.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${a.length}`);
}

function checkF32(a: unknown, n: number, name: string): void {
  if (!(a instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array`);
  if (a.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${a.length}`);
}

function checkResets8(a: unknown, n: number, name: string): void {
  if (!(a instanceof Uint8Array)) throw new TypeError(`${name}: expected a Uint8Array`);
  if (a.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${a.length}`);
}

/**
 * A GRU cell (PyTorch's equations) over flat parameters, with reset masks for trial boundaries,
 * on the backend's kernels (native: threaded over the batch).
 *
 * A recurrent policy is this GRU followed by any head over its hidden states: run
 * `nn.mlp({ sizes: [H, …, out] })` on `hs` viewed as [steps·batch × H] rows, and feed the head's
 * input gradient (its VJP w.r.t. x) back as `dHs` — see `nn.recurrentPolicy` for that composition.
 *
 * ```ts
 * const g = nn.gru({ inputSize: 4, hiddenSize: 8 });
 * const f = g.forward(g.init(0), { xs, steps: 10, batch: 2, resets });
 * const { dParams } = g.backward(params, f, dHs);
 * // allocation-free: const ws = g.workspace(10, 2); g.forwardInto(p, xs32, ws); g.backwardInto(p, xs32, ws, dHs32);
 * ```
 */
export function gru(options: GruOptions): Gru {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object');
  const I = options.inputSize;
  const H = options.hiddenSize;
  checkInteger(I, 'options.inputSize', 1, 1 << 20);
  checkInteger(H, 'options.hiddenSize', 1, 1 << 20);
  const G = 3 * H;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const size = gruParamCount(I, H);
  const layout: ParamLayout = Object.freeze([
    Object.freeze({ name: 'gru.wi', shape: Object.freeze([I, G]), offset: 0, size: I * G }),
    Object.freeze({ name: 'gru.wh', shape: Object.freeze([H, G]), offset: oWh, size: H * G }),
    Object.freeze({ name: 'gru.bi', shape: Object.freeze([G]), offset: oBi, size: G }),
    Object.freeze({ name: 'gru.bh', shape: Object.freeze([G]), offset: oBh, size: G }),
  ]);
  // One scalars object per model, refilled per call (the kernels read it synchronously).
  const sc = { inputSize: I, hiddenSize: H, steps: 1, batch: 1, truncate: 0 };
  const scalars = (steps: number, batch: number, truncate = 0): typeof sc => {
    sc.steps = steps;
    sc.batch = batch;
    sc.truncate = truncate;
    return sc;
  };

  function checkTruncate(o: GruBackwardOptions | undefined): number {
    const k = o?.truncate ?? 0;
    checkInteger(k, 'options.truncate', 0);
    return k;
  }

  function workspace(steps: number, batch: number): GruWorkspace {
    checkInteger(steps, 'steps', 1);
    checkInteger(batch, 'batch', 1);
    const s: GruScalars = { inputSize: I, hiddenSize: H, steps, batch };
    return {
      steps,
      batch,
      hs: new Float32Array(steps * batch * H),
      tape: new Float32Array(gruTapeSize(s)),
      work: new Float32Array(gruWorkSize(s)),
      gParams: new Float32Array(size),
      gXs: new Float32Array(steps * batch * I),
      gH0: new Float32Array(batch * H),
    };
  }

  function checkInto(params: Float32Array, xs: Float32Array, ws: GruWorkspace): void {
    checkF32(params, size, 'params');
    if (ws === null || typeof ws !== 'object' || !(ws.tape instanceof Float32Array))
      throw new TypeError('ws: expected a workspace from gru.workspace()');
    if (ws.hs.length !== ws.steps * ws.batch * H || ws.gParams.length !== size)
      throw new RangeError('ws: a workspace of another GRU');
    checkF32(xs, ws.steps * ws.batch * I, 'xs');
  }

  function forwardInto(params: Float32Array, xs: Float32Array, ws: GruWorkspace, o?: GruRunOptions): Float32Array {
    checkInto(params, xs, ws);
    const h0 = o?.h0 ?? null;
    const resets = o?.resets ?? null;
    if (h0 !== null) checkF32(h0, ws.batch * H, 'options.h0');
    if (resets !== null) checkResets8(resets, ws.steps * ws.batch, 'options.resets');
    const tape = o?.record === false ? null : ws.tape;
    getBackend().gruForward(params, xs, h0, resets, ws.hs, tape, scalars(ws.steps, ws.batch));
    return ws.hs;
  }

  function backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: GruWorkspace,
    dHs: Float32Array,
    o?: GruIntoBackwardOptions,
  ): void {
    checkInto(params, xs, ws);
    checkF32(dHs, ws.steps * ws.batch * H, 'dHs');
    const resets = o?.resets ?? null;
    if (resets !== null) checkResets8(resets, ws.steps * ws.batch, 'options.resets');
    const k = checkTruncate(o);
    const s = scalars(ws.steps, ws.batch, k);
    getBackend().gruBackward(params, xs, resets, ws.tape, dHs, ws.gParams, ws.gXs, ws.gH0, ws.work, s);
  }

  function forward(p: ArrayLike<number>, inp: GruInputs): GruForward {
    checkLength(p, size, 'params');
    if (inp === null || typeof inp !== 'object') throw new TypeError('inputs: expected an object');
    checkInteger(inp.steps, 'inputs.steps', 1);
    checkInteger(inp.batch, 'inputs.batch', 1);
    const n = inp.steps * inp.batch;
    checkLength(inp.xs, n * I, 'inputs.xs');
    if (inp.h0 !== undefined) checkLength(inp.h0, inp.batch * H, 'inputs.h0');
    if (inp.resets !== undefined) checkLength(inp.resets, n, 'inputs.resets');
    const xs32 = Float32Array.from(inp.xs);
    const resets8 = inp.resets ? Uint8Array.from(inp.resets, (v) => (v ? 1 : 0)) : null;
    const hs = new Float32Array(n * H);
    const tape = new Float32Array(gruTapeSize(scalars(inp.steps, inp.batch)));
    const h0 = inp.h0 ? Float32Array.from(inp.h0) : null;
    getBackend().gruForward(Float32Array.from(p), xs32, h0, resets8, hs, tape, scalars(inp.steps, inp.batch));
    return { hs: Float64Array.from(hs), inputs: inp, tape, xs32, resets8 };
  }

  function backward(p: ArrayLike<number>, f: GruForward, dHs: ArrayLike<number>, o?: GruBackwardOptions): GruGrads {
    checkLength(p, size, 'params');
    const { steps: T, batch: B } = f.inputs;
    checkLength(dHs, T * B * H, 'dHs');
    const k = checkTruncate(o);
    const s = scalars(T, B, k);
    const g = new Float32Array(size);
    const gx = new Float32Array(T * B * I);
    const gh = new Float32Array(B * H);
    const work = new Float32Array(gruWorkSize(s));
    const p32 = Float32Array.from(p);
    getBackend().gruBackward(p32, f.xs32, f.resets8, f.tape, Float32Array.from(dHs), g, gx, gh, work, s);
    return { dParams: Float64Array.from(g), dXs: Float64Array.from(gx), dH0: Float64Array.from(gh) };
  }

  function init(seed: number): Float32Array {
    const u = uniform(makeKey(seed), size);
    const a = 1 / Math.sqrt(H);
    for (let i = 0; i < size; i++) u[i] = (2 * (u[i] as number) - 1) * a;
    return u;
  }

  return { inputSize: I, hiddenSize: H, size, layout, init, forward, backward, workspace, forwardInto, backwardInto };
}
