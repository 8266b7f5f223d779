// Twin of native/core/learned/mlp_step.cc: the same two passes (accumulators + squared-feature
// sums, then features → MLP → update), math in double, accumulators rounded to float32 as
// stored. It checks its arguments as native/napi/learned.cc does. Scratch buffers are kept
// between calls (grown when a wider net comes), so a step allocates nothing per parameter.
import type { LearnedKernels } from '../../kernels/learned.js';

const INPUTS = 39;
const PARAM_FEATURES = 28;
const TIME_SCALES = [1, 3, 10, 30, 100, 300, 1000, 3000, 1e4, 3e4, 1e5];
const MOMENTUM_DECAYS = [0.9, 0.99, 0.999];
const RMS_DECAY = 0.999;

let rowBuf = new Float64Array(INPUTS);
let bufA = new Float64Array(64);
let bufB = new Float64Array(64);
const sums = new Float64Array(PARAM_FEATURES);
const scales = new Float64Array(PARAM_FEATURES);
const time = new Float64Array(TIME_SCALES.length);

function fail(kind: 'type' | 'range', msg: string): never {
  throw kind === 'type' ? new TypeError(`learnedMlpStep: ${msg}`) : new RangeError(`learnedMlpStep: ${msg}`);
}

/** The 28 raw features of parameter i (accumulators already updated) into rowBuf[0..28). */
function rawFeatures(p: Float32Array, g: Float32Array, acc: Float32Array, n: number, i: number): void {
  const r = rowBuf;
  const gi = g[i] as number;
  const v = acc[3 * n + i] as number;
  const rv = 1 / Math.sqrt(v + 1e-6);
  r[0] = gi;
  r[1] = p[i] as number;
  r[5] = v;
  r[9] = rv;
  for (let j = 0; j < 3; j++) {
    const m = acc[j * n + i] as number;
    const vf = acc[(4 + j) * n + i] as number;
    r[2 + j] = m;
    r[6 + j] = m * rv;
    r[10 + j] = gi / Math.sqrt(Math.max(vf + 1e-9, 1e-9));
    r[13 + j] = vf;
    r[16 + j] = vf;
    const rs = 1 / Math.sqrt(vf + 1e-8);
    r[19 + j] = rs;
    r[22 + j] = rs;
    r[25 + j] = m / Math.sqrt(vf + 1e-6);
  }
}

export const learnedMlpStep: LearnedKernels['learnedMlpStep'] = (
  params,
  grads,
  acc,
  theta,
  widths,
  segments,
  multipliers,
  scalars,
) => {
  for (const [name, a] of [
    ['params', params],
    ['grads', grads],
    ['acc', acc],
    ['theta', theta],
    ['multipliers', multipliers],
  ] as const)
    if (!(a instanceof Float32Array)) fail('type', `${name}: expected a Float32Array`);
  if (!(widths instanceof Int32Array)) fail('type', 'widths: expected an Int32Array');
  if (!(segments instanceof Uint32Array)) fail('type', 'segments: expected a Uint32Array');
  const { count, stepMult, expMult } = scalars;
  for (const [k, v] of [
    ['count', count],
    ['stepMult', stepMult],
    ['expMult', expMult],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v)) fail('type', `scalars.${k}: expected a finite number`);
  if (count < 0) fail('range', 'scalars.count: expected a count >= 0');
  const n = params.length;
  if (grads.length !== n) fail('range', `grads: expected length ${n}, got ${grads.length}`);
  if (acc.length !== 7 * n) fail('range', `acc: expected length ${7 * n}, got ${acc.length}`);
  const L = widths.length;
  if (L < 2) fail('range', 'widths: expected at least 2 layer sizes');
  if (widths[0] !== INPUTS || widths[L - 1] !== 2) fail('range', 'widths: expected [39, ...hidden, 2]');
  let size = 0;
  let maxWidth = 0;
  for (let l = 0; l < L; l++) {
    const w = widths[l] as number;
    if (w < 1 || w > 4096) fail('range', `widths[${l}]: expected an integer in [1, 4096]`);
    if (l + 1 < L) size += w * (widths[l + 1] as number) + (widths[l + 1] as number);
    maxWidth = Math.max(maxWidth, w);
  }
  if (theta.length !== size) fail('range', `theta: expected length ${size} for these widths, got ${theta.length}`);
  if (segments.length % 2 !== 0) fail('range', 'segments: expected (offset, size) pairs, got an odd length');
  let end = 0;
  for (let k = 0; k < segments.length; k += 2) {
    if ((segments[k] as number) < end) fail('range', `segments: segment ${k / 2} overlaps or precedes the one before`);
    end = (segments[k] as number) + (segments[k + 1] as number);
    if (end > n) fail('range', `segments: segment ${k / 2} ends at ${end}, past the buffer length ${n}`);
  }
  if (multipliers.length !== segments.length / 2)
    fail('range', `multipliers: expected length ${segments.length / 2}, got ${multipliers.length}`);
  if (bufA.length < maxWidth) {
    bufA = new Float64Array(maxWidth);
    bufB = new Float64Array(maxWidth);
  }
  if (rowBuf.length < maxWidth) rowBuf = new Float64Array(Math.max(INPUTS, maxWidth));
  for (let k = 0; k < TIME_SCALES.length; k++) time[k] = Math.tanh(count / (TIME_SCALES[k] as number) - 1);

  for (let s = 0; s < segments.length; s += 2) {
    const off = segments[s] as number;
    const len = segments[s + 1] as number;
    if (len === 0) continue;
    // pass 1: accumulators, then the squared raw features summed over the segment
    sums.fill(0);
    for (let i = off; i < off + len; i++) {
      const gi = grads[i] as number;
      const g2 = gi * gi;
      for (let j = 0; j < 3; j++) {
        const d = MOMENTUM_DECAYS[j] as number;
        acc[j * n + i] = d * (acc[j * n + i] as number) + (1 - d) * gi;
        acc[(4 + j) * n + i] = d * (acc[(4 + j) * n + i] as number) + (1 - d) * (g2 + 1e-30);
      }
      acc[3 * n + i] = RMS_DECAY * (acc[3 * n + i] as number) + (1 - RMS_DECAY) * g2;
      rawFeatures(params, grads, acc, n, i);
      for (let f = 0; f < PARAM_FEATURES; f++) sums[f] = (sums[f] as number) + (rowBuf[f] as number) ** 2;
    }
    for (let f = 0; f < PARAM_FEATURES; f++) scales[f] = 1 / Math.sqrt(1e-5 + (sums[f] as number) / len);
    // pass 2: features → MLP → update
    const scale = (multipliers[s / 2] as number) * stepMult;
    for (let i = off; i < off + len; i++) {
      rawFeatures(params, grads, acc, n, i);
      const x = rowBuf;
      for (let f = 0; f < PARAM_FEATURES; f++) x[f] = (x[f] as number) * (scales[f] as number);
      for (let k = 0; k < TIME_SCALES.length; k++) x[PARAM_FEATURES + k] = time[k] as number;
      let cur: Float64Array = x;
      let nxt = bufA;
      let o0 = 0;
      for (let l = 0; l + 1 < L; l++) {
        const nin = widths[l] as number;
        const nout = widths[l + 1] as number;
        const bo = o0 + nin * nout;
        for (let o = 0; o < nout; o++) nxt[o] = theta[bo + o] as number;
        for (let k = 0; k < nin; k++) {
          const ck = cur[k] as number;
          if (ck === 0) continue;
          const wo = o0 + k * nout;
          for (let o = 0; o < nout; o++) nxt[o] = (nxt[o] as number) + ck * (theta[wo + o] as number);
        }
        if (l + 2 < L) for (let o = 0; o < nout; o++) nxt[o] = Math.max(0, nxt[o] as number);
        o0 = bo + nout;
        cur = nxt;
        nxt = nxt === bufA ? bufB : bufA;
      }
      params[i] = (params[i] as number) - scale * (cur[0] as number) * Math.exp(expMult * (cur[1] as number));
    }
  }
};
