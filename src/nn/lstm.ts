// An LSTM cell over flat parameters, forward over a batch of sequences and BPTT, on the backend's
// LSTM kernels (native/core/nn/lstm.h, js twin src/backend/js/nn/lstm.ts; float32). Equations are
// PyTorch's nn.LSTM (gates i, f, g, o in that order):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(…), g = tanh(…), o = σ(…)
//   c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
// A reset mask zeroes h and c before a step, and BPTT stops there. Same two forms as nn.gru.
import { getBackend } from '../backend/index.js';
import { type GruScalars, lstmParamCount, lstmTapeSize, lstmWorkSize } from '../backend/kernels/nn.js';
import { key as makeKey, uniform } from '../random/index.js';
import { checkInteger } from '../util/check.js';
import type { GruBackwardOptions, GruIntoBackwardOptions } from './gru.js';
import type { ParamLayout } from './types.js';

/** Options of `lstm`. */
export interface LstmOptions {
  inputSize: number;
  hiddenSize: number;
}

/** Inputs of one forward pass: `steps` × `batch` sequences, time-major. */
export interface LstmInputs {
  /** [steps × batch × inputSize], time-major (row (t, b) is t·batch + b). */
  xs: ArrayLike<number>;
  steps: number;
  batch: number;
  /** Initial hidden state [batch × hiddenSize] (default zeros). */
  h0?: ArrayLike<number>;
  /** Initial cell state [batch × hiddenSize] (default zeros). */
  c0?: ArrayLike<number>;
  /** Shape [steps × batch]; a nonzero entry zeroes that row's h and c before step t (default none). */
  resets?: ArrayLike<number>;
}

/** A forward pass: every hidden and cell state, and what BPTT needs. */
export interface LstmForward {
  /** [steps × batch × hiddenSize]. */
  hs: Float64Array;
  /** [steps × batch × hiddenSize]. */
  cs: Float64Array;
  readonly inputs: LstmInputs;
  /** @internal */
  readonly tape: Float32Array;
  /** @internal */
  readonly xs32: Float32Array;
  /** @internal */
  readonly resets8: Uint8Array | null;
}

/** Gradients of a scalar of the hidden states through a forward pass. */
export interface LstmGrads {
  dParams: Float64Array;
  /** [steps × batch × inputSize]. */
  dXs: Float64Array;
  /** [batch × hiddenSize]. */
  dH0: Float64Array;
  /** [batch × hiddenSize]. */
  dC0: Float64Array;
}

/** Buffers of allocation-free passes for one (steps, batch) shape. */
export interface LstmWorkspace {
  readonly steps: number;
  readonly batch: number;
  readonly hs: Float32Array;
  readonly cs: Float32Array;
  readonly tape: Float32Array;
  readonly work: Float32Array;
  readonly gParams: Float32Array;
  readonly gXs: Float32Array;
  readonly gH0: Float32Array;
  readonly gC0: Float32Array;
}

/** Options of lstm.forwardInto. */
export interface LstmRunOptions {
  h0?: Float32Array | null;
  c0?: Float32Array | null;
  resets?: Uint8Array | null;
  /** Record the tape for backwardInto (default true). */
  record?: boolean;
}

/** An LSTM over flat parameters laid out as `lstm.wi` [I, 4H], `lstm.wh` [H, 4H], `lstm.bi` [4H], `lstm.bh` [4H]. */
export interface Lstm {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly size: number;
  readonly layout: ParamLayout;
  /** PyTorch's init: every parameter U(−1/√H, 1/√H). */
  init(seed: number): Float32Array;
  /**
   * Runs the cell over the sequences (float32 kernel, copies of the inputs) and keeps the tape for
   * `backward`. Returns the hidden and cell states as float64. TypeError/RangeError on a
   * wrong-length `params` (≠ size), `xs`, `h0`, `c0` or `resets`, or steps/batch not integers ≥ 1.
   */
  forward(params: ArrayLike<number>, inputs: LstmInputs): LstmForward;
  /** BPTT: `dHs` [steps × batch × H] is ∂L/∂h_t for every t. */
  backward(
    params: ArrayLike<number>,
    fwd: LstmForward,
    dHs: ArrayLike<number>,
    options?: GruBackwardOptions,
  ): LstmGrads;
  /** Buffers for forwardInto/backwardInto over `steps` × `batch` (allocate once, reuse); both ≥ 1. */
  workspace(steps: number, batch: number): LstmWorkspace;
  /** Forward into ws.hs, ws.cs (and ws.tape unless `record: false`); returns ws.hs. */
  forwardInto(params: Float32Array, xs: Float32Array, ws: LstmWorkspace, options?: LstmRunOptions): Float32Array;
  /** BPTT from the last forwardInto on ws into ws.gParams, ws.gXs, ws.gH0, ws.gC0. */
  backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: LstmWorkspace,
    dHs: Float32Array,
    options?: GruIntoBackwardOptions,
  ): void;
}

function checkLength(a: ArrayLike<number>, n: number, name: string): void {
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number')
    throw new TypeError(`${name}: expected an array of numbers`);
  if (a.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${a.length}`);
}

function checkTyped(a: unknown, Ctor: typeof Float32Array | typeof Uint8Array, n: number, name: string): void {
  if (!(a instanceof Ctor)) throw new TypeError(`${name}: expected a ${Ctor.name}`);
  if (a.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${a.length}`);
}

/**
 * An LSTM cell (PyTorch's equations) over flat parameters, with reset masks, on the backend's
 * kernels (native: threaded over the batch).
 *
 * ```ts
 * const l = nn.lstm({ inputSize: 4, hiddenSize: 8 });
 * const f = l.forward(l.init(0), { xs, steps: 10, batch: 2, resets });
 * const { dParams } = l.backward(params, f, dHs);
 * ```
 */
export function lstm(options: LstmOptions): Lstm {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object');
  const I = options.inputSize;
  const H = options.hiddenSize;
  checkInteger(I, 'options.inputSize', 1, 1 << 20);
  checkInteger(H, 'options.hiddenSize', 1, 1 << 20);
  const G = 4 * H;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const size = lstmParamCount(I, H);
  const layout: ParamLayout = Object.freeze([
    Object.freeze({ name: 'lstm.wi', shape: Object.freeze([I, G]), offset: 0, size: I * G }),
    Object.freeze({ name: 'lstm.wh', shape: Object.freeze([H, G]), offset: oWh, size: H * G }),
    Object.freeze({ name: 'lstm.bi', shape: Object.freeze([G]), offset: oBi, size: G }),
    Object.freeze({ name: 'lstm.bh', shape: Object.freeze([G]), offset: oBh, size: G }),
  ]);
  const sc = { inputSize: I, hiddenSize: H, steps: 1, batch: 1, truncate: 0 };
  const scalars = (steps: number, batch: number, truncate = 0): typeof sc => {
    sc.steps = steps;
    sc.batch = batch;
    sc.truncate = truncate;
    return sc;
  };
  const truncateOf = (o: GruBackwardOptions | undefined): number => {
    const k = o?.truncate ?? 0;
    checkInteger(k, 'options.truncate', 0);
    return k;
  };

  function workspace(steps: number, batch: number): LstmWorkspace {
    checkInteger(steps, 'steps', 1);
    checkInteger(batch, 'batch', 1);
    const s: GruScalars = { inputSize: I, hiddenSize: H, steps, batch };
    return {
      steps,
      batch,
      hs: new Float32Array(steps * batch * H),
      cs: new Float32Array(steps * batch * H),
      tape: new Float32Array(lstmTapeSize(s)),
      work: new Float32Array(lstmWorkSize(s)),
      gParams: new Float32Array(size),
      gXs: new Float32Array(steps * batch * I),
      gH0: new Float32Array(batch * H),
      gC0: new Float32Array(batch * H),
    };
  }

  function checkInto(params: Float32Array, xs: Float32Array, ws: LstmWorkspace): void {
    checkTyped(params, Float32Array, size, 'params');
    if (ws === null || typeof ws !== 'object' || !(ws.tape instanceof Float32Array) || !(ws.cs instanceof Float32Array))
      throw new TypeError('ws: expected a workspace from lstm.workspace()');
    if (ws.hs.length !== ws.steps * ws.batch * H || ws.gParams.length !== size)
      throw new RangeError('ws: a workspace of another LSTM');
    checkTyped(xs, Float32Array, ws.steps * ws.batch * I, 'xs');
  }

  function forwardInto(params: Float32Array, xs: Float32Array, ws: LstmWorkspace, o?: LstmRunOptions): Float32Array {
    checkInto(params, xs, ws);
    const h0 = o?.h0 ?? null;
    const c0 = o?.c0 ?? null;
    const resets = o?.resets ?? null;
    if (h0 !== null) checkTyped(h0, Float32Array, ws.batch * H, 'options.h0');
    if (c0 !== null) checkTyped(c0, Float32Array, ws.batch * H, 'options.c0');
    if (resets !== null) checkTyped(resets, Uint8Array, ws.steps * ws.batch, 'options.resets');
    const tape = o?.record === false ? null : ws.tape;
    getBackend().lstmForward(params, xs, h0, c0, resets, ws.hs, ws.cs, tape, scalars(ws.steps, ws.batch));
    return ws.hs;
  }

  function backwardInto(
    params: Float32Array,
    xs: Float32Array,
    ws: LstmWorkspace,
    dHs: Float32Array,
    o?: GruIntoBackwardOptions,
  ): void {
    checkInto(params, xs, ws);
    checkTyped(dHs, Float32Array, ws.steps * ws.batch * H, 'dHs');
    const resets = o?.resets ?? null;
    if (resets !== null) checkTyped(resets, Uint8Array, ws.steps * ws.batch, 'options.resets');
    const s = scalars(ws.steps, ws.batch, truncateOf(o));
    getBackend().lstmBackward(params, xs, resets, ws.tape, dHs, ws.gParams, ws.gXs, ws.gH0, ws.gC0, ws.work, s);
  }

  function forward(p: ArrayLike<number>, inp: LstmInputs): LstmForward {
    checkLength(p, size, 'params');
    if (inp === null || typeof inp !== 'object') throw new TypeError('inputs: expected an object');
    checkInteger(inp.steps, 'inputs.steps', 1);
    checkInteger(inp.batch, 'inputs.batch', 1);
    const n = inp.steps * inp.batch;
    checkLength(inp.xs, n * I, 'inputs.xs');
    if (inp.h0 !== undefined) checkLength(inp.h0, inp.batch * H, 'inputs.h0');
    if (inp.c0 !== undefined) checkLength(inp.c0, inp.batch * H, 'inputs.c0');
    if (inp.resets !== undefined) checkLength(inp.resets, n, 'inputs.resets');
    const xs32 = Float32Array.from(inp.xs);
    const resets8 = inp.resets ? Uint8Array.from(inp.resets, (v) => (v ? 1 : 0)) : null;
    const hs = new Float32Array(n * H);
    const cs = new Float32Array(n * H);
    const s = scalars(inp.steps, inp.batch);
    const tape = new Float32Array(lstmTapeSize(s));
    const h0 = inp.h0 ? Float32Array.from(inp.h0) : null;
    const c0 = inp.c0 ? Float32Array.from(inp.c0) : null;
    getBackend().lstmForward(Float32Array.from(p), xs32, h0, c0, resets8, hs, cs, tape, s);
    return { hs: Float64Array.from(hs), cs: Float64Array.from(cs), inputs: inp, tape, xs32, resets8 };
  }

  function backward(p: ArrayLike<number>, f: LstmForward, dHs: ArrayLike<number>, o?: GruBackwardOptions): LstmGrads {
    checkLength(p, size, 'params');
    const { steps: T, batch: B } = f.inputs;
    checkLength(dHs, T * B * H, 'dHs');
    const s = scalars(T, B, truncateOf(o));
    const g = new Float32Array(size);
    const gx = new Float32Array(T * B * I);
    const gh = new Float32Array(B * H);
    const gc = new Float32Array(B * H);
    const work = new Float32Array(lstmWorkSize(s));
    getBackend().lstmBackward(
      Float32Array.from(p),
      f.xs32,
      f.resets8,
      f.tape,
      Float32Array.from(dHs),
      g,
      gx,
      gh,
      gc,
      work,
      s,
    );
    return {
      dParams: Float64Array.from(g),
      dXs: Float64Array.from(gx),
      dH0: Float64Array.from(gh),
      dC0: Float64Array.from(gc),
    };
  }

  function init(seed: number): Float32Array {
    const u = uniform(makeKey(seed), size);
    const a = 1 / Math.sqrt(H);
    for (let i = 0; i < size; i++) u[i] = (2 * (u[i] as number) - 1) * a;
    return u;
  }

  return { inputSize: I, hiddenSize: H, size, layout, init, forward, backward, workspace, forwardInto, backwardInto };
}
