// TypeScript twin of native/core/rl/objective.cc's drift: the learned drift D(r, A[, progress]) of
// 'lpo' and its derivative in r at every sample of a minibatch (ahead of the objective's main pass,
// as native), in doubles. The value is native's arithmetic in its order (each unit's pre-activation
// summed over the inputs in order, tanh as native's lanes compute it: driftTanh), so D matches
// native bit for bit on the same (r, A). The derivative is taken in reverse mode and only where
// D > 0 (native runs the tangent forward for all 16 lanes of a tile, free in SIMD): per sample in
// JS that skips about half the work, at a rounding-level difference from native's ∂D/∂r.
import type { RlLpoObjective } from '../../kernels/rl.js';

const THRESHOLD = 1e-4;
const CLIP = 2;

/** 2^k for k in [0, 64]: exact, as the native code builds it in the exponent bits. */
const POW2 = Float64Array.from({ length: 65 }, (_, k) => 2 ** k);
const SHIFT = 0x18000000000000; // 1.5 · 2^52: adding it rounds to an integer
const LOG2E = Math.LOG2E;
const LN2_HI = 6.9314718036912382e-1;
const LN2_LO = 1.9082149292705877e-10;

/**
 * tanh as native/core/rl/objective.cc's tanhLanes computes it: 1 − 2/(e^(2|x|) + 1) with x's sign,
 * |x| clamped to 20, e^y = 2^k·e^s (k = round(y/ln 2), s = y − k·ln 2 in two parts, e^s by its
 * Taylor series to degree 13). Absolute error a few 1e-16; tanh(0) = 0 exactly.
 */
export function driftTanh(x: number): number {
  const ax = Math.min(Math.abs(x), 20);
  const y = ax * 2;
  const k = y * LOG2E + SHIFT - SHIFT;
  const s = y - k * LN2_HI - k * LN2_LO;
  let p = 1 / 6227020800;
  p = p * s + 1 / 479001600;
  p = p * s + 1 / 39916800;
  p = p * s + 1 / 3628800;
  p = p * s + 1 / 362880;
  p = p * s + 1 / 40320;
  p = p * s + 1 / 5040;
  p = p * s + 1 / 720;
  p = p * s + 1 / 120;
  p = p * s + 1 / 24;
  p = p * s + 1 / 6;
  p = p * s + 0.5;
  p = p * s + 1;
  p = p * s + 1;
  const t = 1 - 2 / (p * (POW2[k] as number) + 1);
  return x < 0 ? -t : t;
}

// Scratch that only grows: no allocation per call once warm.
let acts = new Float64Array(0); // every layer's values, layer l at actOff[l]
let back = new Float64Array(0); // ∂N/∂(layer values) of two layers
const dxs = new Float64Array(16);
/** Per sample: ratio r, normalized advantage A, D and ∂D/∂r (driftValues fills the last two). */
export const driftBatch = {
  r: new Float64Array(0),
  a: new Float64Array(0),
  d: new Float64Array(0),
  dDr: new Float64Array(0),
  /** Grows the per-sample arrays to `batch`. */
  reserve(batch: number): void {
    if (this.r.length < batch) {
      this.r = new Float64Array(batch);
      this.a = new Float64Array(batch);
      this.d = new Float64Array(batch);
      this.dDr = new Float64Array(batch);
    }
  },
};

/** D and ∂D/∂r at (driftBatch.r[i], driftBatch.a[i]), i < batch, into driftBatch.d and .dDr. */
export function driftValues(o: RlLpoObjective, batch: number): void {
  const inputs = o.driftTemporal ? 16 : 8;
  const sizes = [inputs, ...o.driftHidden, 1];
  const last = sizes.length - 1;
  const width = Math.max(...sizes);
  const actOff = [0];
  for (let l = 0; l <= last; l++) actOff.push((actOff[l] as number) + (sizes[l] as number));
  if (acts.length < (actOff[last + 1] as number)) acts = new Float64Array(actOff[last + 1] as number);
  if (back.length < 2 * width) back = new Float64Array(2 * width);
  // locals, not the module's `let` bindings, in the hot loop
  const x = acts;
  const g = back;
  const dx = dxs;
  const theta = o.driftTheta;
  const size = theta.length;
  const p = o.driftProgress;
  const { r: rs, a: as, d: ds, dDr } = driftBatch;
  for (let t = 0; t < batch; t++) {
    const r = rs[t] as number;
    const a = as[t] as number;
    // Features (all 0 at r = 1) at x[0..inputs) and their derivatives in r in dx.
    const l = Math.log(r);
    x[0] = l;
    x[1] = l * l;
    x[2] = 1 - r;
    x[3] = (1 - r) * (1 - r);
    dx[0] = 1 / r;
    dx[1] = (2 * l) / r;
    dx[2] = -1;
    dx[3] = -2 * (1 - r);
    for (let k = 0; k < 4; k++) {
      x[4 + k] = a * (x[k] as number);
      dx[4 + k] = a * (dx[k] as number);
    }
    if (o.driftTemporal)
      for (let k = 0; k < 8; k++) {
        x[8 + k] = p * (x[k] as number);
        dx[8 + k] = p * (dx[k] as number);
      }
    for (let k = 0; k < inputs; k++) {
      const v = x[k] as number;
      if (v > CLIP || v < -CLIP) {
        x[k] = v > CLIP ? CLIP : -CLIP;
        dx[k] = 0;
      }
    }
    // Forward, input-major: long inner loops over a layer's units (faster in JS than per-unit dot
    // products); per unit the same sums in the same order as native's.
    let off = 0;
    for (let layer = 0; layer < last; layer++) {
      const nin = sizes[layer] as number;
      const nout = sizes[layer + 1] as number;
      const xi0 = actOff[layer] as number;
      const y0 = actOff[layer + 1] as number;
      x.fill(0, y0, y0 + nout);
      for (let i = 0; i < nin; i++) {
        const xi = x[xi0 + i] as number;
        const wi = off + i * nout;
        for (let q = 0; q < nout; q++) x[y0 + q] = (x[y0 + q] as number) + xi * (theta[wi + q] as number);
      }
      if (layer + 1 < last) for (let q = 0; q < nout; q++) x[y0 + q] = driftTanh(x[y0 + q] as number);
      off += nin * nout;
    }
    const v = (x[actOff[last] as number] as number) - THRESHOLD;
    if (!(v > 0)) {
      // D = 0 (and a NaN output gives 0, as native): no backward pass
      ds[t] = 0;
      dDr[t] = 0;
      continue;
    }
    // Backward (only where D > 0): ∂N/∂(layer values) from the top, in g[gAt..].
    off = size;
    let gAt = 0;
    g[0] = 1;
    for (let layer = last - 1; layer >= 0; layer--) {
      const nin = sizes[layer] as number;
      const nout = sizes[layer + 1] as number;
      off -= nin * nout;
      const xi0 = actOff[layer] as number;
      const nextAt = width - gAt;
      for (let i = 0; i < nin; i++) {
        let s = 0;
        const wi = off + i * nout;
        for (let q = 0; q < nout; q++) s += (theta[wi + q] as number) * (g[gAt + q] as number);
        const h = x[xi0 + i] as number;
        g[nextAt + i] = layer > 0 ? s * (1 - h * h) : s;
      }
      gAt = nextAt;
    }
    let d = 0;
    for (let k = 0; k < inputs; k++) d += (g[gAt + k] as number) * (dx[k] as number);
    ds[t] = v;
    dDr[t] = d;
  }
}

/** The number of weights of a drift network (8 or 16 inputs, these hidden widths, 1 output). */
export function driftSize(hidden: ArrayLike<number>, temporal: boolean): number {
  let size = 0;
  let prev = temporal ? 16 : 8;
  for (let l = 0; l < hidden.length; l++) {
    size += prev * (hidden[l] as number);
    prev = hidden[l] as number;
  }
  return size + prev;
}

/** The checks the native binding makes on an 'lpo' objective's drift fields. */
export function checkLpoOptions(o: RlLpoObjective): void {
  if (!(o.driftHidden instanceof Int32Array)) throw new TypeError('options.driftHidden: expected a Int32Array');
  if (o.driftHidden.length === 0 || o.driftHidden.length > 64)
    throw new RangeError('options.driftHidden: expected 1 to 64 widths');
  for (const w of o.driftHidden)
    if (w < 1 || w > 4096) throw new RangeError(`options.driftHidden: expected widths in [1, 4096], got ${w}`);
  if (!(o.driftProgress >= 0 && o.driftProgress <= 1)) throw new RangeError('options.driftProgress: expected [0, 1]');
  if (!(o.driftTheta instanceof Float32Array)) throw new TypeError('options.driftTheta: expected a Float32Array');
  const size = driftSize(o.driftHidden, o.driftTemporal);
  if (o.driftTheta.length !== size)
    throw new RangeError(`options.driftTheta: expected ${size} weights (the drift's size), got ${o.driftTheta.length}`);
}
