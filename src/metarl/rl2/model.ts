// The RL² network: a GRU (or LSTM) over the trial's inputs, then a linear softmax policy head and
// a linear value head on the hidden state (Duan et al. 2016: GRU policy with a softmax head). Flat
// parameters: [cell (nn.gru's / nn.lstm's layout), policy W [H × A], policy b [A], value w [H],
// value b]. The carried state is h for a GRU and [h | c] for an LSTM.

import type { Gru, GruForward } from '../../nn/gru.js';
import { gru as makeGru } from '../../nn/gru.js';
import type { Lstm, LstmForward } from '../../nn/lstm.js';
import { lstm as makeLstm } from '../../nn/lstm.js';
import { key as makeKey, uniform } from '../../random/index.js';

/** The recurrent cells RL² runs on. */
export type Rl2Cell = 'gru' | 'lstm';

/** A forward pass over whole trials. */
export interface Rl2Forward {
  /** [steps × batch × actions] policy logits. */
  logits: Float64Array;
  /** [steps × batch] value estimates. */
  values: Float64Array;
  /** [steps × batch × hidden] hidden states (the heads' input). */
  hs: Float64Array;
  /** [batch × stateSize] the state after the last step, to carry into the next call. */
  state: Float64Array;
  /** @internal */
  readonly tape: GruForward | LstmForward;
}

/** The RL² network over flat parameters. */
export interface Rl2Model {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly actions: number;
  readonly size: number;
  /** The recurrent cell. */
  readonly cell: Rl2Cell;
  /** Floats of carried state per row: H (GRU) or 2H (LSTM: h then c). */
  readonly stateSize: number;
  /** The recurrent cell over the first `core.size` parameters. */
  readonly core: Gru | Lstm;
  /** Cell: PyTorch's init; heads: U(±0.01) policy (near-uniform start), U(±1/√H) value, zero biases. */
  init(seed: number): Float32Array;
  /** Forward over `steps` × `batch` time-major inputs from the state `s0` [batch × stateSize] (default zeros). */
  forward(
    params: ArrayLike<number>,
    xs: ArrayLike<number>,
    steps: number,
    batch: number,
    s0?: ArrayLike<number>,
  ): Rl2Forward;
  /** Gradient of a scalar w.r.t. the parameters, given its gradients w.r.t. logits and values. */
  backward(
    params: ArrayLike<number>,
    fwd: Rl2Forward,
    dLogits: ArrayLike<number>,
    dValues: ArrayLike<number>,
  ): Float64Array;
}

/** Builds the RL² network for `inputSize` inputs, `hiddenSize` cell units and `actions` actions. */
export function rl2Model(inputSize: number, hiddenSize: number, actions: number, cell: Rl2Cell = 'gru'): Rl2Model {
  const g: Gru | Lstm = cell === 'lstm' ? makeLstm({ inputSize, hiddenSize }) : makeGru({ inputSize, hiddenSize });
  const H = hiddenSize;
  const stateSize = cell === 'lstm' ? 2 * H : H;
  const A = actions;
  const oWp = g.size;
  const oBp = oWp + H * A;
  const oWv = oBp + A;
  const oBv = oWv + H;
  const size = oBv + 1;

  function init(seed: number): Float32Array {
    const p = new Float32Array(size);
    p.set(g.init(seed));
    const u = uniform(makeKey(seed + 0x9e3779b1), H * A + H);
    const sv = 1 / Math.sqrt(H);
    for (let i = 0; i < H * A; i++) p[oWp + i] = (2 * (u[i] as number) - 1) * 0.01;
    for (let i = 0; i < H; i++) p[oWv + i] = (2 * (u[H * A + i] as number) - 1) * sv;
    return p;
  }

  function forward(
    p: ArrayLike<number>,
    xs: ArrayLike<number>,
    steps: number,
    batch: number,
    s0?: ArrayLike<number>,
  ): Rl2Forward {
    if (p.length !== size) throw new RangeError(`params: expected length ${size}, got ${p.length}`);
    if (s0 !== undefined && s0.length !== batch * stateSize)
      throw new RangeError(`s0: expected length ${batch * stateSize}, got ${s0.length}`);
    const n = steps * batch;
    const last = (steps - 1) * batch * H;
    const state = new Float64Array(batch * stateSize);
    let f: GruForward | LstmForward;
    if (cell === 'lstm') {
      const bh = batch * H;
      const init = s0 ? { h0: sliceOf(s0, 0, bh), c0: sliceOf(s0, bh, 2 * bh) } : {};
      const fl = (g as Lstm).forward(sliceOf(p, 0, g.size), { xs, steps, batch, ...init });
      state.set(fl.hs.subarray(last, last + bh), 0);
      state.set(fl.cs.subarray(last, last + bh), bh);
      f = fl;
    } else {
      f = (g as Gru).forward(sliceOf(p, 0, g.size), { xs, steps, batch, ...(s0 ? { h0: s0 } : {}) });
      state.set(f.hs.subarray(last, last + batch * H));
    }
    const logits = new Float64Array(n * A);
    const values = new Float64Array(n);
    for (let row = 0; row < n; row++) {
      const h = row * H;
      for (let a = 0; a < A; a++) logits[row * A + a] = p[oBp + a] as number;
      let v = p[oBv] as number;
      for (let k = 0; k < H; k++) {
        const x = f.hs[h + k] as number;
        for (let a = 0; a < A; a++)
          logits[row * A + a] = (logits[row * A + a] as number) + x * (p[oWp + k * A + a] as number);
        v += x * (p[oWv + k] as number);
      }
      values[row] = v;
    }
    return { logits, values, hs: f.hs, state, tape: f };
  }

  function backward(
    p: ArrayLike<number>,
    f: Rl2Forward,
    dLogits: ArrayLike<number>,
    dValues: ArrayLike<number>,
  ): Float64Array {
    const n = f.values.length;
    const d = new Float64Array(size);
    const dHs = new Float64Array(n * H);
    for (let row = 0; row < n; row++) {
      const dv = dValues[row] as number;
      d[oBv] = (d[oBv] as number) + dv;
      for (let a = 0; a < A; a++) d[oBp + a] = (d[oBp + a] as number) + (dLogits[row * A + a] as number);
      for (let k = 0; k < H; k++) {
        const x = f.hs[row * H + k] as number;
        let dh = dv * (p[oWv + k] as number);
        d[oWv + k] = (d[oWv + k] as number) + dv * x;
        for (let a = 0; a < A; a++) {
          const dl = dLogits[row * A + a] as number;
          d[oWp + k * A + a] = (d[oWp + k * A + a] as number) + dl * x;
          dh += dl * (p[oWp + k * A + a] as number);
        }
        dHs[row * H + k] = dh;
      }
    }
    const cp = sliceOf(p, 0, g.size);
    const gg =
      cell === 'lstm'
        ? (g as Lstm).backward(cp, f.tape as LstmForward, dHs)
        : (g as Gru).backward(cp, f.tape as GruForward, dHs);
    d.set(gg.dParams, 0);
    return d;
  }

  return { inputSize, hiddenSize, actions, size, cell, stateSize, core: g, init, forward, backward };
}

// nn.gru / nn.lstm check exact lengths, so they get views of their own blocks.
function sliceOf(p: ArrayLike<number>, lo: number, hi: number): ArrayLike<number> {
  if (p instanceof Float32Array || p instanceof Float64Array) return p.subarray(lo, hi);
  return Array.prototype.slice.call(p, lo, hi) as number[];
}
