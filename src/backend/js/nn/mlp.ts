// Twin of native/core/nn/mlp.cc: MLP forward, tape, backward, JVP and R-operator passes over a
// flat parameter vector (layout and tape layout in src/backend/kernels/nn.ts). Single-threaded;
// scratch buffers grow once and are reused, so hot loops do not allocate.
import { mlpLayerOffset, mlpParamCount, mlpTapeOutput, mlpTapeSize } from '../../kernels/nn.js';
import { activate, activationRBackward, activationScale } from './activation.js';
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
  for (let l = 0; l + 1 < sizes.length; l++)
    transpose(
      params,
      mlpLayerOffset(sizes, l),
      sizes[l] as number,
      sizes[l + 1] as number,
      dst,
      mlpLayerOffset(sizes, l),
    );
}

export function mlpForward(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  y: Float32Array,
): void {
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
}

export function mlpForwardTape(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  tape: Float32Array,
): void {
  const L = sizes.length - 1;
  const offs = tapeOffsets(sizes, batch, false);
  let prev = x;
  let prevOff = 0;
  for (let l = 0; l < L; l++) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const z = offs[l] as number;
    const a = z + batch * outW;
    affine(prev, prevOff, batch, inW, outW, params, mlpLayerOffset(sizes, l), tape, z);
    activate(l === L - 1 ? output : hidden, tape, z, tape, a, batch * outW);
    prev = tape;
    prevOff = a;
  }
}

export function mlpBackwardTape(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  tape: Float32Array,
  dy: Float32Array,
  gParams: Float32Array,
  gInputs: Float32Array | null,
): void {
  const L = sizes.length - 1;
  const maxW = maxWidth(sizes);
  const offs = tapeOffsets(sizes, batch, false);
  const wt = wtWs.get(mlpParamCount(sizes));
  transposeWeights(sizes, params, wt);
  const dz = dzWs.get(batch * maxW);
  const daBuf = daWs.get(2 * batch * maxW);
  let da = dy;
  let daOff = 0;
  for (let l = L - 1; l >= 0; l--) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const off = mlpLayerOffset(sizes, l);
    const z = offs[l] as number;
    activationScale(l === L - 1 ? output : hidden, tape, z, tape, z + batch * outW, da, daOff, dz, 0, batch * outW);
    const prev = l === 0 ? x : tape;
    const prevOff = l === 0 ? 0 : (offs[l - 1] as number) + batch * inW;
    gemmNN(inW, outW, batch, prev, prevOff, 1, inW, dz, 0, outW, gParams, off, outW, false);
    columnSums(dz, 0, batch, outW, gParams, off + inW * outW);
    if (l === 0 && gInputs === null) break;
    const dst = l > 0 ? daBuf : (gInputs as Float32Array);
    const dstOff = l > 0 ? (l % 2) * batch * maxW : 0;
    gemmNN(batch, inW, outW, dz, 0, outW, 1, wt, off, inW, dst, dstOff, inW, false);
    da = dst;
    daOff = dstOff;
  }
}

export function mlpVjp(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  dy: Float32Array,
  gParams: Float32Array,
  gInputs: Float32Array | null,
): void {
  const tape = tapeWs.get(mlpTapeSize(sizes, batch, false));
  mlpForwardTape(sizes, hidden, output, params, x, batch, tape);
  mlpBackwardTape(sizes, hidden, output, params, x, batch, tape, dy, gParams, gInputs);
}

export function mlpForwardTangentTape(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  v: Float32Array,
  tape: Float32Array,
): void {
  const L = sizes.length - 1;
  const offs = tapeOffsets(sizes, batch, true);
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
    const zdot = z + n;
    const a = z + 2 * n;
    const adot = z + 3 * n;
    affine(prev, prevOff, batch, inW, outW, params, off, tape, z);
    activate(f, tape, z, tape, a, n);
    affine(prev, prevOff, batch, inW, outW, v, off, tape, zdot);
    if (prevDotOff >= 0) gemmNN(batch, outW, inW, tape, prevDotOff, inW, 1, params, off, outW, tape, zdot, outW, true);
    activationScale(f, tape, z, tape, a, tape, zdot, tape, adot, n);
    prev = tape;
    prevOff = a;
    prevDotOff = adot;
  }
}

export function mlpJvp(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  v: Float32Array,
  y: Float32Array | null,
  ydot: Float32Array,
): void {
  const tape = tapeWs.get(mlpTapeSize(sizes, batch, true));
  mlpForwardTangentTape(sizes, hidden, output, params, x, batch, v, tape);
  const n = batch * (sizes[sizes.length - 1] as number);
  const o = mlpTapeOutput(sizes, batch, true);
  if (y !== null) y.set(tape.subarray(o, o + n));
  ydot.set(tape.subarray(o + n, o + 2 * n));
}

export function mlpHvpBackwardTape(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  v: Float32Array,
  tape: Float32Array,
  gy: Float32Array,
  hy: Float32Array,
  hv: Float32Array,
  gParams: Float32Array | null,
): void {
  const L = sizes.length - 1;
  const maxW = maxWidth(sizes);
  const offs = tapeOffsets(sizes, batch, true);
  const P = mlpParamCount(sizes);
  const wt = wtWs.get(P);
  const vt = vtWs.get(P);
  transposeWeights(sizes, params, wt);
  transposeWeights(sizes, v, vt);
  const dz = dzWs.get(batch * maxW);
  const rdz = rdzWs.get(batch * maxW);
  const daBuf = daWs.get(2 * batch * maxW);
  const rdaBuf = rdaWs.get(2 * batch * maxW);
  let da = gy;
  let rda = hy;
  let dOff = 0;
  for (let l = L - 1; l >= 0; l--) {
    const inW = sizes[l] as number;
    const outW = sizes[l + 1] as number;
    const off = mlpLayerOffset(sizes, l);
    const n = batch * outW;
    const z = offs[l] as number;
    const o = { z, zdot: z + n, a: z + 2 * n, da: dOff, rda: dOff, dz: 0, rdz: 0 };
    activationRBackward(l === L - 1 ? output : hidden, tape, da, rda, dz, rdz, o, n);
    const bOff = off + inW * outW;
    if (l === 0) {
      gemmNN(inW, outW, batch, x, 0, 1, inW, rdz, 0, outW, hv, off, outW, false);
      if (gParams) gemmNN(inW, outW, batch, x, 0, 1, inW, dz, 0, outW, gParams, off, outW, false);
    } else {
      const pn = batch * inW;
      const pz = offs[l - 1] as number;
      const prevA = pz + 2 * pn;
      const prevAdot = pz + 3 * pn;
      gemmNN(inW, outW, batch, tape, prevA, 1, inW, rdz, 0, outW, hv, off, outW, false);
      gemmNN(inW, outW, batch, tape, prevAdot, 1, inW, dz, 0, outW, hv, off, outW, true);
      if (gParams) gemmNN(inW, outW, batch, tape, prevA, 1, inW, dz, 0, outW, gParams, off, outW, false);
    }
    columnSums(rdz, 0, batch, outW, hv, bOff);
    if (gParams) columnSums(dz, 0, batch, outW, gParams, bOff);
    if (l === 0) break;
    const slot = (l % 2) * batch * maxW;
    gemmNN(batch, inW, outW, dz, 0, outW, 1, wt, off, inW, daBuf, slot, inW, false);
    gemmNN(batch, inW, outW, rdz, 0, outW, 1, wt, off, inW, rdaBuf, slot, inW, false);
    gemmNN(batch, inW, outW, dz, 0, outW, 1, vt, off, inW, rdaBuf, slot, inW, true);
    da = daBuf;
    rda = rdaBuf;
    dOff = slot;
  }
}

export function mlpForwardBatched(
  sizes: Int32Array,
  hidden: number,
  output: number,
  tasks: number,
  params: Float32Array,
  x: Float32Array,
  rowStart: Int32Array,
  y: Float32Array,
): void {
  const P = mlpParamCount(sizes);
  const in0 = sizes[0] as number;
  const outL = sizes[sizes.length - 1] as number;
  for (let t = 0; t < tasks; t++) {
    const r0 = rowStart[t] as number;
    const rows = (rowStart[t + 1] as number) - r0;
    if (rows === 0) continue;
    mlpForward(
      sizes,
      hidden,
      output,
      params.subarray(t * P, (t + 1) * P),
      x.subarray(r0 * in0, (r0 + rows) * in0),
      rows,
      y.subarray(r0 * outL, (r0 + rows) * outL),
    );
  }
}

export function mlpVjpBatched(
  sizes: Int32Array,
  hidden: number,
  output: number,
  tasks: number,
  params: Float32Array,
  x: Float32Array,
  rowStart: Int32Array,
  dy: Float32Array,
  gParams: Float32Array,
  gInputs: Float32Array | null,
): void {
  const P = mlpParamCount(sizes);
  const in0 = sizes[0] as number;
  const outL = sizes[sizes.length - 1] as number;
  for (let t = 0; t < tasks; t++) {
    const r0 = rowStart[t] as number;
    const rows = (rowStart[t + 1] as number) - r0;
    const g = gParams.subarray(t * P, (t + 1) * P);
    if (rows === 0) {
      g.fill(0);
      continue;
    }
    mlpVjp(
      sizes,
      hidden,
      output,
      params.subarray(t * P, (t + 1) * P),
      x.subarray(r0 * in0, (r0 + rows) * in0),
      rows,
      dy.subarray(r0 * outL, (r0 + rows) * outL),
      g,
      gInputs ? gInputs.subarray(r0 * in0, (r0 + rows) * in0) : null,
    );
  }
}
