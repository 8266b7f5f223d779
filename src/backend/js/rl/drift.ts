// TypeScript twin of native/core/rl/objective.cc's Drift: the learned drift D(r, A[, progress]) of
// 'lpo' and its derivative in r, in doubles, in the same order as the native code (and as
// src/learned/drift.ts, the reference the tests compare both with).
import type { RlLpoObjective } from '../../kernels/rl.js';

const THRESHOLD = 1e-4;
const CLIP = 2;

/** Evaluates one objective's drift network at many points, with scratch sized once. */
export class DriftEval {
  private readonly sizes: number[];
  private readonly acts: Float64Array[];
  private readonly dx: Float64Array;
  private back: Float64Array;
  private back2: Float64Array;
  /** D at the last `at`. */
  value = 0;
  /** ∂D/∂r at the last `at`. */
  dRatio = 0;

  constructor(private readonly o: RlLpoObjective) {
    this.sizes = [o.driftTemporal ? 16 : 8, ...o.driftHidden, 1];
    this.acts = this.sizes.map((s) => new Float64Array(s));
    this.dx = new Float64Array(this.sizes[0] as number);
    const width = Math.max(...this.sizes);
    this.back = new Float64Array(width);
    this.back2 = new Float64Array(width);
  }

  /** Sets `value` and `dRatio` at (r, a). */
  at(r: number, a: number): void {
    const { sizes, acts, dx, o } = this;
    const theta = o.driftTheta;
    const inputs = sizes[0] as number;
    const x = acts[0] as Float64Array;
    const l = Math.log(r);
    const raw0 = l;
    const raw1 = l * l;
    const raw2 = 1 - r;
    const raw3 = (1 - r) * (1 - r);
    const d0 = 1 / r;
    const d1 = (2 * l) / r;
    const d2 = -1;
    const d3 = -2 * (1 - r);
    x[0] = raw0;
    x[1] = raw1;
    x[2] = raw2;
    x[3] = raw3;
    dx[0] = d0;
    dx[1] = d1;
    dx[2] = d2;
    dx[3] = d3;
    for (let k = 0; k < 4; k++) {
      x[4 + k] = a * (x[k] as number);
      dx[4 + k] = a * (dx[k] as number);
    }
    if (o.driftTemporal) {
      const p = o.driftProgress;
      for (let k = 0; k < 8; k++) {
        x[8 + k] = p * (x[k] as number);
        dx[8 + k] = p * (dx[k] as number);
      }
    }
    for (let k = 0; k < inputs; k++) {
      const v = x[k] as number;
      if (v > CLIP || v < -CLIP) {
        x[k] = v > CLIP ? CLIP : -CLIP;
        dx[k] = 0;
      }
    }
    const last = sizes.length - 1;
    let off = 0;
    for (let layer = 0; layer < last; layer++) {
      const nin = sizes[layer] as number;
      const nout = sizes[layer + 1] as number;
      const xin = acts[layer] as Float64Array;
      const y = acts[layer + 1] as Float64Array;
      y.fill(0);
      for (let i = 0; i < nin; i++) {
        const xi = xin[i] as number;
        if (xi === 0) continue;
        for (let q = 0; q < nout; q++) y[q] = (y[q] as number) + xi * (theta[off + i * nout + q] as number);
      }
      if (layer + 1 < last) for (let q = 0; q < nout; q++) y[q] = Math.tanh(y[q] as number);
      off += nin * nout;
    }
    const n = ((acts[last] as Float64Array)[0] as number) - THRESHOLD;
    if (n <= 0) {
      this.value = 0;
      this.dRatio = 0;
      return;
    }
    let g = this.back;
    let gNext = this.back2;
    g[0] = 1;
    for (let layer = last - 1; layer >= 0; layer--) {
      const nin = sizes[layer] as number;
      const nout = sizes[layer + 1] as number;
      off -= nin * nout;
      const act = acts[layer] as Float64Array;
      for (let i = 0; i < nin; i++) {
        let s = 0;
        for (let q = 0; q < nout; q++) s += (theta[off + i * nout + q] as number) * (g[q] as number);
        gNext[i] = layer > 0 ? s * (1 - (act[i] as number) * (act[i] as number)) : s;
      }
      const t = g;
      g = gNext;
      gNext = t;
    }
    this.back = g;
    this.back2 = gNext;
    let d = 0;
    for (let k = 0; k < inputs; k++) d += (g[k] as number) * (dx[k] as number);
    this.value = n;
    this.dRatio = d;
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
