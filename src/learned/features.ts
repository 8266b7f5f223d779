// Per-parameter input features of learned_optimization's AdafacMLPLOpt ("small_fc_lopt",
// learned_optimizers/adafac_mlp_lopt.py) for a flat buffer treated as one rank-1 tensor: the
// Adafactor row/column slots take the full second-moment EMAs v_f, as that code does for rank < 2.
// The decays are fixed at the reference's initial values (not meta-learned here).
import type { OptState } from '../optim/types.js';

/** Momentum decays (reference init). */
export const MOMENTUM_DECAYS = [0.9, 0.99, 0.999] as const;
/** Second-moment decay (reference init). */
export const RMS_DECAY = 0.999;
/** Decays of the factored (here: full, rank < 2) second-moment accumulators. */
export const FACTORED_DECAYS = [0.9, 0.99, 0.999] as const;
/** Time-feature scales τ of tanh(t/τ − 1). */
export const TIME_SCALES = [1, 3, 10, 30, 100, 300, 1000, 3000, 1e4, 3e4, 1e5] as const;
/** Normalized per-parameter features. */
export const NUM_PARAM_FEATURES = 28;
/** All MLP inputs: 28 normalized + 11 time features. */
export const NUM_INPUTS = NUM_PARAM_FEATURES + TIME_SCALES.length;

/** Accumulator rows of `state.buffers.acc` [7 × n] (the layout of the learnedMlpStep kernel). */
export const ACC_ROWS = 7;

function rows(state: OptState): { m: Float32Array[]; v: Float32Array; vf: Float32Array[] } {
  const acc = state.buffers.acc as Float32Array;
  const n = acc.length / ACC_ROWS;
  const row = (r: number) => acc.subarray(r * n, (r + 1) * n);
  return { m: [row(0), row(1), row(2)], v: row(3), vf: [row(4), row(5), row(6)] };
}

/** Fresh accumulators (all zero) for n parameters: m(0.9), m(0.99), m(0.999), v, vf(0.9), vf(0.99), vf(0.999). */
export function initAccumulators(n: number): OptState {
  return { count: 0, buffers: { acc: new Float32Array(ACC_ROWS * n) }, scalars: {}, inner: [] };
}

/** EMA updates with the new gradient (the reference updates accumulators before reading features). */
export function accumulate(state: OptState, grads: Float32Array): void {
  const { m: ms, v, vf: vfs } = rows(state);
  for (let j = 0; j < 3; j++) {
    const m = ms[j] as Float32Array;
    const vf = vfs[j] as Float32Array;
    const dm = MOMENTUM_DECAYS[j] as number;
    const df = FACTORED_DECAYS[j] as number;
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i] as number;
      m[i] = dm * (m[i] as number) + (1 - dm) * g;
      vf[i] = df * (vf[i] as number) + (1 - df) * (g * g + 1e-30);
    }
  }
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i] as number;
    v[i] = RMS_DECAY * (v[i] as number) + (1 - RMS_DECAY) * g * g;
  }
}

/**
 * The float64 reference of the features (the kernel learnedMlpStep fuses them). Fills `out` [n × 39] row-major: the 28 reference features, each second-moment normalized over
 * the buffer (x · rsqrt(1e-5 + mean x²)), then the 11 un-normalized tanh(t/τ − 1) with t = state.count.
 */
export function features(params: Float32Array, grads: Float32Array, state: OptState, out: Float32Array): void {
  const n = params.length;
  const { m, v, vf } = rows(state);
  const row = new Float64Array(NUM_PARAM_FEATURES);
  const sumSq = new Float64Array(NUM_PARAM_FEATURES);
  for (let i = 0; i < n; i++) {
    const rv = 1 / Math.sqrt((v[i] as number) + 1e-6);
    let k = 0;
    row[k++] = grads[i] as number;
    row[k++] = params[i] as number;
    for (let j = 0; j < 3; j++) row[k++] = m[j]?.[i] as number;
    row[k++] = v[i] as number;
    for (let j = 0; j < 3; j++) row[k++] = (m[j]?.[i] as number) * rv;
    row[k++] = rv;
    for (let j = 0; j < 3; j++) {
      const f = vf[j]?.[i] as number;
      row[k++] = (grads[i] as number) / Math.sqrt(Math.max(f + 1e-9, 1e-9));
    }
    // rank < 2: the row and column accumulator slots both hold v_f
    for (let j = 0; j < 3; j++) row[k++] = vf[j]?.[i] as number;
    for (let j = 0; j < 3; j++) row[k++] = vf[j]?.[i] as number;
    for (let j = 0; j < 3; j++) row[k++] = 1 / Math.sqrt((vf[j]?.[i] as number) + 1e-8);
    for (let j = 0; j < 3; j++) row[k++] = 1 / Math.sqrt((vf[j]?.[i] as number) + 1e-8);
    for (let j = 0; j < 3; j++) row[k++] = (m[j]?.[i] as number) / Math.sqrt((vf[j]?.[i] as number) + 1e-6);
    const o = i * NUM_INPUTS;
    for (let f = 0; f < NUM_PARAM_FEATURES; f++) {
      const x = row[f] as number;
      out[o + f] = x;
      sumSq[f] = (sumSq[f] as number) + x * x;
    }
  }
  const scale = new Float64Array(NUM_PARAM_FEATURES);
  for (let f = 0; f < NUM_PARAM_FEATURES; f++) scale[f] = 1 / Math.sqrt(1e-5 + (sumSq[f] as number) / n);
  const time = TIME_SCALES.map((tau) => Math.tanh(state.count / tau - 1));
  for (let i = 0; i < n; i++) {
    const o = i * NUM_INPUTS;
    for (let f = 0; f < NUM_PARAM_FEATURES; f++) out[o + f] = (out[o + f] as number) * (scale[f] as number);
    for (let f = 0; f < time.length; f++) out[o + NUM_PARAM_FEATURES + f] = time[f] as number;
  }
}
