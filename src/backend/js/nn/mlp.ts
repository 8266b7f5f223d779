// Twin of native/core/nn/mlp.cc: MLP forward, tape, backward, JVP and R-operator passes over a
// flat parameter vector (layout and tape layout in src/backend/kernels/nn.ts). Single-threaded;
// scratch buffers grow once and are reused, so hot loops do not allocate.
import {
  type MlpRowArgs,
  mlpLayerOffset,
  mlpParamCount,
  mlpTapeOutput,
  mlpTapeSize,
  type NnKernels,
} from '../../kernels/nn.js';
import { activate, activationRBackward, activationScale, type RBackwardOffsets } from './activation.js';
import { gemmNN, transpose } from './gemm.js';

const ROW_BLOCK = 64;

class Scratch {
  private buf = new Float32Array(0);
  get(n: number): Float32Array {
    if (this.buf.length < n) this.buf = new Float32Array(n);
    return this.buf;
  }
}
const forwardWs = new Scratch();
const tapeWs = new Scratch();
const wtWs = new Scratch();
const vtWs = new Scratch();
const dzWs = new Scratch();
const rdzWs = new Scratch();
const daWs = new Scratch();
const rdaWs = new Scratch();
let colAcc = new Float64Array(64);
const rOff: RBackwardOffsets = { z: 0, a: 0, zdot: 0, da: 0, rda: 0, dz: 0, rdz: 0 };

function maxWidth(sizes: Int32Array): number {
  let m = 1;
  for (const s of sizes) m = Math.max(m, s);
  return m;
}

/** z[rows × out] = a[rows × in]·W + b, bias first (z from zOff, a from aOff). */
function affine(
  a: Float32Array,
  aOff: number,
  rows: number,
  inW: number,
  outW: number,
  w: Float32Array,
  wOff: number,
  z: Float32Array,
  zOff: number,
): void {
  const bOff = wOff + inW * outW;
  for (let r = 0; r < rows; r++) {
    const o = zOff + r * outW;
    for (let j = 0; j < outW; j++) z[o + j] = w[bOff + j] as number;
  }
  gemmNN(rows, outW, inW, a, aOff, inW, 1, w, wOff, outW, z, zOff, outW, true);
}

/** out[outOff + j] = Σ_b d[dOff + b·n + j] in row order (float64 sums). */
function columnSums(d: Float32Array, dOff: number, batch: number, n: number, out: Float32Array, outOff: number): void {
  if (colAcc.length < n) colAcc = new Float64Array(n);
  const s = colAcc;
  s.fill(0, 0, n);
  for (let b = 0; b < batch; b++) {
    const r = dOff + b * n;
    for (let j = 0; j < n; j++) s[j] = (s[j] as number) + (d[r + j] as number);
  }
  for (let j = 0; j < n; j++) out[outOff + j] = s[j] as number;
}

function tapeOffsets(sizes: Int32Array, batch: number, tangent: boolean): number[] {
  const offs: number[] = [];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    offs.push(o);
    o += (tangent ? 4 : 2) * batch * (sizes[l] as number);
  }
  return offs;
}

function transposeWeights(sizes: Int32Array, params: Float32Array, dst: Float32Array): void {
  for (let l = 0; l + 1 < sizes.length; l++) {
    const off = mlpLayerOffset(sizes, l);
    transpose(params, off, sizes[l] as number, sizes[l + 1] as number, dst, off);
  }
}

/**
 * Forward pass recording a tape: z = a_prev·W + b, a = f(z) per layer. With a parameter tangent
 * v (a tangent tape) also ż = a_prev·V + v_b (+ ȧ_prev·W) and ȧ = f'(z)·ż.
 */
const forwardTape: (...a: [...MlpRowArgs, v: Float32Array | null, tape: Float32Array]) => void = (
  sizes,
  hidden,
  output,
  params,
  x,
  batch,
  v,
  tape,
) => {
  const L = sizes.length - 1;
  const offs = tapeOffsets(sizes, batch, v !== null);
  let prev = x;
  let prevOff = 0;
  let prevDotOff = -1; // the input has no tangent
  for (let l = 0; l < L; l++) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const f = l === L - 1 ? output : hidden;
    const off = mlpLayerOffset(sizes, l);
    const n = batch * outW;
    const z = offs[l] as number;
    const a = z + (v !== null ? 2 : 1) * n;
    affine(prev, prevOff, batch, inW, outW, params, off, tape, z);
    activate(f, tape, z, tape, a, n);
    if (v !== null) {
      const zdot = z + n;
      const adot = z + 3 * n;
      affine(prev, prevOff, batch, inW, outW, v, off, tape, zdot);
      if (prevDotOff >= 0)
        gemmNN(batch, outW, inW, tape, prevDotOff, inW, 1, params, off, outW, tape, zdot, outW, true);
      activationScale(f, tape, z, tape, a, tape, zdot, tape, adot, n);
      prevDotOff = adot;
    }
    prev = tape;
    prevOff = a;
  }
};

/** The R-operator's part of a backward pass: the parameter tangent, hy = (∂²L/∂y²)·ẏ and the output H v. */
interface Tangent {
  v: Float32Array;
  hy: Float32Array;
  hv: Float32Array;
}

/**
 * The backward pass from a tape, layer by layer from the output: dz = f'(z)·da, gW = a_prevᵀ·dz
 * and gb = Σ dz into gParams (when not null), da_prev = dz·Wᵀ (into gInputs below layer 0 when
 * not null). With `r` (a tangent tape) also Pearlmutter's R-operator: rdz = f''(z)·ż·da + f'(z)·rda,
 * hvW = a_prevᵀ·rdz + ȧ_prevᵀ·dz and hvb = Σ rdz into r.hv, rda_prev = rdz·Wᵀ + dz·Vᵀ.
 */
const backward: (
  ...a: [
    ...MlpRowArgs,
    tape: Float32Array,
    gy: Float32Array,
    gParams: Float32Array | null,
    gInputs: Float32Array | null,
    r: Tangent | null,
  ]
) => void = (sizes, hidden, output, params, x, batch, tape, gy, gParams, gInputs, r) => {
  const L = sizes.length - 1;
  const maxW = maxWidth(sizes);
  const offs = tapeOffsets(sizes, batch, r !== null);
  const P = mlpParamCount(sizes);
  const wt = wtWs.get(P);
  transposeWeights(sizes, params, wt);
  const dz = dzWs.get(batch * maxW);
  const daBuf = daWs.get(2 * batch * maxW);
  // The R-operator's buffers (unused without r).
  const vt = r ? vtWs.get(P) : wt;
  if (r) transposeWeights(sizes, r.v, vt);
  const rdz = r ? rdzWs.get(batch * maxW) : dz;
  const rdaBuf = r ? rdaWs.get(2 * batch * maxW) : daBuf;
  let da = gy;
  let rda = r ? r.hy : gy;
  let dOff = 0;
  for (let l = L - 1; l >= 0; l--) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const f = l === L - 1 ? output : hidden;
    const off = mlpLayerOffset(sizes, l);
    const n = batch * outW;
    const z = offs[l] as number;
    if (r) {
      rOff.z = z;
      rOff.zdot = z + n;
      rOff.a = z + 2 * n;
      rOff.da = dOff;
      rOff.rda = dOff;
      activationRBackward(f, tape, da, rda, dz, rdz, rOff, n);
    } else activationScale(f, tape, z, tape, z + n, da, dOff, dz, 0, n);
    // The layer's parameters, from its input: x, or a_prev (followed by ȧ_prev in a tangent tape).
    const prev = l === 0 ? x : tape;
    const pn = batch * inW;
    const prevOff = l === 0 ? 0 : (offs[l - 1] as number) + (r ? 2 : 1) * pn;
    const bOff = off + inW * outW;
    if (r) {
      gemmNN(inW, outW, batch, prev, prevOff, 1, inW, rdz, 0, outW, r.hv, off, outW, false);
      if (l > 0) gemmNN(inW, outW, batch, tape, prevOff + pn, 1, inW, dz, 0, outW, r.hv, off, outW, true);
      columnSums(rdz, 0, batch, outW, r.hv, bOff);
    }
    if (gParams) {
      gemmNN(inW, outW, batch, prev, prevOff, 1, inW, dz, 0, outW, gParams, off, outW, false);
      columnSums(dz, 0, batch, outW, gParams, bOff);
    }
    if (l === 0 && gInputs === null) break;
    const dst = l > 0 ? daBuf : (gInputs as Float32Array);
    const dstOff = l > 0 ? (l % 2) * batch * maxW : 0;
    gemmNN(batch, inW, outW, dz, 0, outW, 1, wt, off, inW, dst, dstOff, inW, false);
    if (r) {
      gemmNN(batch, inW, outW, rdz, 0, outW, 1, wt, off, inW, rdaBuf, dstOff, inW, false);
      gemmNN(batch, inW, outW, dz, 0, outW, 1, vt, off, inW, rdaBuf, dstOff, inW, true);
      rda = rdaBuf;
    }
    da = dst;
    dOff = dstOff;
  }
};

/** Runs fn(task, first row, rows) for every task of a batched call. */
function forTasks(tasks: number, rowStart: Int32Array, fn: (t: number, r0: number, rows: number) => void): void {
  for (let t = 0; t < tasks; t++) {
    const r0 = rowStart[t] as number;
    fn(t, r0, (rowStart[t + 1] as number) - r0);
  }
}

export const mlpForward: NnKernels['mlpForward'] = (sizes, hidden, output, params, x, batch, y) => {
  const L = sizes.length - 1;
  const in0 = sizes[0] as number;
  const outL = sizes[L] as number;
  const block = Math.min(batch, ROW_BLOCK);
  const maxW = maxWidth(sizes);
  const ws = forwardWs.get(2 * block * maxW);
  for (let r0 = 0; r0 < batch; r0 += ROW_BLOCK) {
    const rows = Math.min(ROW_BLOCK, batch - r0);
    let cur = x;
    let curOff = r0 * in0;
    for (let l = 0; l < L; l++) {
      const inW = sizes[l] as number;
      const outW = sizes[l + 1] as number;
      const last = l === L - 1;
      const dst = last ? y : ws;
      const dstOff = last ? r0 * outL : (l % 2) * block * maxW;
      affine(cur, curOff, rows, inW, outW, params, mlpLayerOffset(sizes, l), dst, dstOff);
      activate(last ? output : hidden, dst, dstOff, dst, dstOff, rows * outW);
      cur = dst;
      curOff = dstOff;
    }
  }
};

export const mlpForwardTape: NnKernels['mlpForwardTape'] = (sizes, hidden, output, params, x, batch, tape) =>
  forwardTape(sizes, hidden, output, params, x, batch, null, tape);

// The tangent pass is forwardTape itself, given a tangent v.
export const mlpForwardTangentTape: NnKernels['mlpForwardTangentTape'] = forwardTape;

export const mlpBackwardTape: NnKernels['mlpBackwardTape'] = (sizes, params, x, tape, dy, gParams, gInputs, s) =>
  backward(sizes, s.hidden, s.output, params, x, s.batch, tape, dy, gParams, gInputs, null);

export const mlpHvpBackwardTape: NnKernels['mlpHvpBackwardTape'] = (
  sizes,
  params,
  x,
  v,
  tape,
  gy,
  hy,
  hv,
  gParams,
  s,
) => backward(sizes, s.hidden, s.output, params, x, s.batch, tape, gy, gParams, null, { v, hy, hv });

export const mlpVjp: NnKernels['mlpVjp'] = (sizes, hidden, output, params, x, batch, dy, gParams, gInputs) => {
  const tape = tapeWs.get(mlpTapeSize(sizes, batch, false));
  forwardTape(sizes, hidden, output, params, x, batch, null, tape);
  backward(sizes, hidden, output, params, x, batch, tape, dy, gParams, gInputs, null);
};

export const mlpJvp: NnKernels['mlpJvp'] = (sizes, hidden, output, params, x, batch, v, y, ydot) => {
  const tape = tapeWs.get(mlpTapeSize(sizes, batch, true));
  forwardTape(sizes, hidden, output, params, x, batch, v, tape);
  const n = batch * (sizes[sizes.length - 1] as number);
  const o = mlpTapeOutput(sizes, batch, true);
  if (y !== null) y.set(tape.subarray(o, o + n));
  ydot.set(tape.subarray(o + n, o + 2 * n));
};

export const mlpForwardBatched: NnKernels['mlpForwardBatched'] = (
  sizes,
  hidden,
  output,
  tasks,
  params,
  x,
  rowStart,
  y,
) => {
  const P = mlpParamCount(sizes);
  const in0 = sizes[0] as number;
  const outL = sizes[sizes.length - 1] as number;
  forTasks(tasks, rowStart, (t, r0, rows) => {
    if (rows === 0) return;
    const p = params.subarray(t * P, (t + 1) * P);
    const yt = y.subarray(r0 * outL, (r0 + rows) * outL);
    mlpForward(sizes, hidden, output, p, x.subarray(r0 * in0, (r0 + rows) * in0), rows, yt);
  });
};

export const mlpVjpBatched: NnKernels['mlpVjpBatched'] = (sizes, params, x, rowStart, dy, gParams, gInputs, s) => {
  const P = mlpParamCount(sizes);
  const in0 = sizes[0] as number;
  const outL = sizes[sizes.length - 1] as number;
  forTasks(s.tasks, rowStart, (t, r0, rows) => {
    const g = gParams.subarray(t * P, (t + 1) * P);
    if (rows === 0) {
      g.fill(0);
      return;
    }
    const xt = x.subarray(r0 * in0, (r0 + rows) * in0);
    const gx = gInputs ? gInputs.subarray(r0 * in0, (r0 + rows) * in0) : null;
    const p = params.subarray(t * P, (t + 1) * P);
    mlpVjp(sizes, s.hidden, s.output, p, xt, rows, dy.subarray(r0 * outL, (r0 + rows) * outL), g, gx);
  });
};
