// Minibatch plumbing shared by the trainers: a seeded permutation and row gathers into
// preallocated buffers.
import * as random from '../random/index.js';

/** Fisher–Yates permutation of 0..n-1 into `out`, from one Philox draw of n uniforms. */
export function permutation(key: random.Key, n: number, out: Int32Array): void {
  const u = random.uniform(key, n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor((u[i] as number) * (i + 1)));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
}

/** out[r*width .. r*width+width) = src[idx[start+r]*width ..] for r < rows. */
export function gatherRows<T extends Float32Array | Int32Array>(
  src: T,
  width: number,
  idx: Int32Array,
  start: number,
  rows: number,
  out: T,
): void {
  if (width === 1) {
    for (let r = 0; r < rows; r++) out[r] = src[idx[start + r] as number] as number;
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = (idx[start + r] as number) * width;
    out.set(src.subarray(s, s + width), r * width);
  }
}

/** 1 − Var(y − ŷ)/Var(y): how much of the returns' variance the values explain (NaN if Var(y) = 0). */
export function explainedVariance(pred: Float32Array, target: Float32Array): number {
  const n = target.length;
  let mt = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    mt += target[i] as number;
    md += (target[i] as number) - (pred[i] as number);
  }
  mt /= n;
  md /= n;
  let vt = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vt += ((target[i] as number) - mt) ** 2;
    vd += ((target[i] as number) - (pred[i] as number) - md) ** 2;
  }
  return vt === 0 ? Number.NaN : 1 - vd / vt;
}
