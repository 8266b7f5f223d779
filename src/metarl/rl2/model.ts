// The RL² network: a GRU over the trial's inputs, then a linear softmax policy head and a linear
// value head on the hidden state (Duan et al. 2016: GRU policy with a softmax head). Flat
// parameters: [gru (nn.gru's layout), policy W [H × A], policy b [A], value w [H], value b].

import type { Gru, GruForward } from '../../nn/gru.js';
import { gru as makeGru } from '../../nn/gru.js';
import { key as makeKey, uniform } from '../../random/index.js';

/** A forward pass over whole trials. */
export interface Rl2Forward {
  /** [steps × batch × actions] policy logits. */
  logits: Float64Array;
  /** [steps × batch] value estimates. */
  values: Float64Array;
  /** @internal */
  readonly gru: GruForward;
}

/** The RL² network over flat parameters. */
export interface Rl2Model {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly actions: number;
  readonly size: number;
  readonly gru: Gru;
  /** GRU: PyTorch's init; heads: U(±0.01) policy (near-uniform start), U(±1/√H) value, zero biases. */
  init(seed: number): Float32Array;
  /** Forward over `steps` × `batch` time-major inputs from the hidden state `h0` (default zeros). */
  forward(
    params: ArrayLike<number>,
    xs: ArrayLike<number>,
    steps: number,
    batch: number,
    h0?: ArrayLike<number>,
  ): Rl2Forward;
  /** Gradient of a scalar w.r.t. the parameters, given its gradients w.r.t. logits and values. */
  backward(
    params: ArrayLike<number>,
    fwd: Rl2Forward,
    dLogits: ArrayLike<number>,
    dValues: ArrayLike<number>,
  ): Float64Array;
}

/** Builds the RL² network for `inputSize` inputs, `hiddenSize` GRU units and `actions` actions. */
export function rl2Model(inputSize: number, hiddenSize: number, actions: number): Rl2Model {
  const g = makeGru({ inputSize, hiddenSize });
  const H = hiddenSize;
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
    h0?: ArrayLike<number>,
  ): Rl2Forward {
    if (p.length !== size) throw new RangeError(`params: expected length ${size}, got ${p.length}`);
    const f = g.forward(sliceGru(p, g.size), { xs, steps, batch, ...(h0 ? { h0 } : {}) });
    const n = steps * batch;
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
    return { logits, values, gru: f };
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
        const x = f.gru.hs[row * H + k] as number;
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
    const gg = g.backward(sliceGru(p, g.size), f.gru, dHs);
    d.set(gg.dParams, 0);
    return d;
  }

  return { inputSize, hiddenSize, actions, size, gru: g, init, forward, backward };
}

// nn.gru checks the exact parameter length, so it gets a view of its own block.
function sliceGru(p: ArrayLike<number>, n: number): ArrayLike<number> {
  if (p instanceof Float32Array || p instanceof Float64Array) return p.subarray(0, n);
  return Array.prototype.slice.call(p, 0, n) as number[];
}
