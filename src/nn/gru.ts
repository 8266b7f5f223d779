// A GRU cell over flat parameters, forward over a batch of sequences and BPTT, in pure TS
// (float64 math). Equations are PyTorch's nn.GRU (gates r, z, n in that order):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
// A reset mask zeroes h before a step (a trial boundary in RL²), and BPTT stops there.
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
  /** [steps × batch × inputSize], time-major. */
  xs: ArrayLike<number>;
  steps: number;
  batch: number;
  /** Initial hidden state [batch × hiddenSize] (default zeros). */
  h0?: ArrayLike<number>;
  /** [steps × batch]: nonzero zeroes that row's hidden state before step t (default none). */
  resets?: ArrayLike<number>;
}

/** A forward pass: every hidden state, and what BPTT needs. */
export interface GruForward {
  /** [steps × batch × hiddenSize]. */
  hs: Float64Array;
  /** @internal gate activations [steps × batch × 3H] (r, z, n) */
  readonly gates: Float64Array;
  /** @internal W_hn h + b_hn per step [steps × batch × H] */
  readonly hn: Float64Array;
  /** @internal the hidden state each step started from, after resets [steps × batch × H] */
  readonly hPrev: Float64Array;
  readonly inputs: GruInputs;
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

/** A GRU over flat parameters laid out as `gru.wi` [I, 3H], `gru.wh` [H, 3H], `gru.bi` [3H], `gru.bh` [3H]. */
export interface Gru {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly size: number;
  readonly layout: ParamLayout;
  /** PyTorch's init: every parameter U(−1/√H, 1/√H). */
  init(seed: number): Float32Array;
  forward(params: ArrayLike<number>, inputs: GruInputs): GruForward;
  /** BPTT: `dHs` [steps × batch × H] is ∂L/∂h_t for every t (the loss's direct dependence). */
  backward(params: ArrayLike<number>, fwd: GruForward, dHs: ArrayLike<number>): GruGrads;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * A GRU cell (PyTorch's equations) over flat parameters, with reset masks for trial boundaries.
 *
 * ```ts
 * const g = nn.gru({ inputSize: 4, hiddenSize: 8 });
 * const f = g.forward(g.init(0), { xs, steps: 10, batch: 2, resets });
 * const { dParams } = g.backward(params, f, dHs);
 * ```
 */
export function gru(options: GruOptions): Gru {
  const I = options.inputSize;
  const H = options.hiddenSize;
  checkInteger(I, 'options.inputSize', 1, 1 << 20);
  checkInteger(H, 'options.hiddenSize', 1, 1 << 20);
  const G = 3 * H;
  const oWi = 0;
  const oWh = I * G;
  const oBi = oWh + H * G;
  const oBh = oBi + G;
  const size = oBh + G;
  const layout: ParamLayout = Object.freeze([
    Object.freeze({ name: 'gru.wi', shape: Object.freeze([I, G]), offset: oWi, size: I * G }),
    Object.freeze({ name: 'gru.wh', shape: Object.freeze([H, G]), offset: oWh, size: H * G }),
    Object.freeze({ name: 'gru.bi', shape: Object.freeze([G]), offset: oBi, size: G }),
    Object.freeze({ name: 'gru.bh', shape: Object.freeze([G]), offset: oBh, size: G }),
  ]);

  function check(params: ArrayLike<number>, inp: GruInputs): void {
    if (params.length !== size) throw new RangeError(`params: expected length ${size}, got ${params.length}`);
    checkInteger(inp.steps, 'inputs.steps', 1);
    checkInteger(inp.batch, 'inputs.batch', 1);
    const n = inp.steps * inp.batch;
    if (inp.xs.length !== n * I) throw new RangeError(`inputs.xs: expected length ${n * I}, got ${inp.xs.length}`);
    if (inp.h0 && inp.h0.length !== inp.batch * H)
      throw new RangeError(`inputs.h0: expected length ${inp.batch * H}, got ${inp.h0.length}`);
    if (inp.resets && inp.resets.length !== n)
      throw new RangeError(`inputs.resets: expected length ${n}, got ${inp.resets.length}`);
  }

  function forward(p: ArrayLike<number>, inp: GruInputs): GruForward {
    check(p, inp);
    const { xs, steps: T, batch: B } = inp;
    const hs = new Float64Array(T * B * H);
    const gates = new Float64Array(T * B * G);
    const hn = new Float64Array(T * B * H);
    const hPrev = new Float64Array(T * B * H);
    const ai = new Float64Array(G);
    const ah = new Float64Array(G);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        const hp = hPrev.subarray(row * H, row * H + H);
        if (!inp.resets?.[row]) {
          if (t > 0) hp.set(hs.subarray((row - B) * H, (row - B) * H + H));
          else if (inp.h0) for (let j = 0; j < H; j++) hp[j] = inp.h0[b * H + j] as number;
        }
        for (let g = 0; g < G; g++) {
          ai[g] = p[oBi + g] as number;
          ah[g] = p[oBh + g] as number;
        }
        for (let i = 0; i < I; i++) {
          const x = xs[row * I + i] as number;
          if (x !== 0) for (let g = 0; g < G; g++) ai[g] = (ai[g] as number) + x * (p[oWi + i * G + g] as number);
        }
        for (let k = 0; k < H; k++) {
          const h = hp[k] as number;
          if (h !== 0) for (let g = 0; g < G; g++) ah[g] = (ah[g] as number) + h * (p[oWh + k * G + g] as number);
        }
        for (let j = 0; j < H; j++) {
          const r = sigmoid((ai[j] as number) + (ah[j] as number));
          const z = sigmoid((ai[H + j] as number) + (ah[H + j] as number));
          const n = Math.tanh((ai[2 * H + j] as number) + r * (ah[2 * H + j] as number));
          gates[row * G + j] = r;
          gates[row * G + H + j] = z;
          gates[row * G + 2 * H + j] = n;
          hn[row * H + j] = ah[2 * H + j] as number;
          hs[row * H + j] = (1 - z) * n + z * (hp[j] as number);
        }
      }
    }
    return { hs, gates, hn, hPrev, inputs: inp };
  }

  function backward(p: ArrayLike<number>, f: GruForward, dHs: ArrayLike<number>): GruGrads {
    const { xs, steps: T, batch: B, resets } = f.inputs;
    if (dHs.length !== T * B * H) throw new RangeError(`dHs: expected length ${T * B * H}, got ${dHs.length}`);
    const dP = new Float64Array(size);
    const dXs = new Float64Array(T * B * I);
    const dH0 = new Float64Array(B * H);
    const carry = new Float64Array(B * H); // ∂L/∂h_t flowing back from step t + 1
    const gi = new Float64Array(G);
    const gh = new Float64Array(G);
    for (let t = T - 1; t >= 0; t--) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        for (let j = 0; j < H; j++) {
          const dh = (dHs[row * H + j] as number) + (carry[b * H + j] as number);
          const r = f.gates[row * G + j] as number;
          const z = f.gates[row * G + H + j] as number;
          const n = f.gates[row * G + 2 * H + j] as number;
          const hp = f.hPrev[row * H + j] as number;
          const dnPre = dh * (1 - z) * (1 - n * n);
          const dzPre = dh * (hp - n) * z * (1 - z);
          const drPre = dnPre * (f.hn[row * H + j] as number) * r * (1 - r);
          gi[j] = drPre;
          gi[H + j] = dzPre;
          gi[2 * H + j] = dnPre;
          gh[j] = drPre;
          gh[H + j] = dzPre;
          gh[2 * H + j] = dnPre * r;
          carry[b * H + j] = dh * z; // direct path h' ← z ⊙ h
        }
        for (let g = 0; g < G; g++) {
          dP[oBi + g] = (dP[oBi + g] as number) + (gi[g] as number);
          dP[oBh + g] = (dP[oBh + g] as number) + (gh[g] as number);
        }
        for (let i = 0; i < I; i++) {
          const x = xs[row * I + i] as number;
          let dx = 0;
          for (let g = 0; g < G; g++) {
            dP[oWi + i * G + g] = (dP[oWi + i * G + g] as number) + x * (gi[g] as number);
            dx += (p[oWi + i * G + g] as number) * (gi[g] as number);
          }
          dXs[row * I + i] = dx;
        }
        for (let k = 0; k < H; k++) {
          const h = f.hPrev[row * H + k] as number;
          let dh = 0;
          for (let g = 0; g < G; g++) {
            dP[oWh + k * G + g] = (dP[oWh + k * G + g] as number) + h * (gh[g] as number);
            dh += (p[oWh + k * G + g] as number) * (gh[g] as number);
          }
          carry[b * H + k] = (carry[b * H + k] as number) + dh;
        }
        // A reset fed zeros into this step: nothing flows to the state before it.
        if (resets?.[row]) carry.fill(0, b * H, b * H + H);
      }
    }
    dH0.set(carry);
    return { dParams: dP, dXs, dH0 };
  }

  function init(seed: number): Float32Array {
    const u = uniform(makeKey(seed), size);
    const a = 1 / Math.sqrt(H);
    for (let i = 0; i < size; i++) u[i] = (2 * (u[i] as number) - 1) * a;
    return u;
  }

  return { inputSize: I, hiddenSize: H, size, layout, init, forward, backward };
}
