// Predicts the next gradient from the recent ones by regularized approximate minimal polynomial
// extrapolation (RMPE; Scieur, d'Aspremont, Bach 2016), as Optimistic-AMSGrad's Algorithm 2
// (Wang et al., arXiv 1903.01435): from the last r + 1 gradients x_0 … x_r (x_r the newest),
//   U = [x_1 − x_0, …, x_r − x_{r−1}],  (UᵀU + λI) z = 1,  c = z / 1ᵀz,  guess = Σ_{i<r} c_i x_i.
// λ is relative: λ = lambda · trace(UᵀU)/r, so the rule does not depend on the gradients' scale.
// The gradients live in a ring buffer with their Gram matrix (float64, from the backend's
// blocked dot), so a step costs r dots and r axpys over the parameters, and no allocation.
import type { Backend } from '../../backend/index.js';

/** The extrapolation's state: a ring of the last `window + 1` gradients and their Gram matrix. */
export interface ExtrapolationBuffers {
  /** Gradients, one row of n per slot ((window + 1) × n). */
  ring: Float32Array;
  /** Their dot products ((window + 1)², float64). */
  gram: Float64Array;
}

// Views of each ring row, cached per ring buffer (a restored state brings a new buffer).
const rowViews = new WeakMap<Float32Array, Float32Array[]>();
function rows(ring: Float32Array, slots: number, n: number): Float32Array[] {
  let views = rowViews.get(ring);
  if (!views) {
    views = Array.from({ length: slots }, (_, k) => ring.subarray(k * n, (k + 1) * n));
    rowViews.set(ring, views);
  }
  return views;
}

/**
 * Pushes gradient number `seen` (0-based) into the ring and writes the prediction of the next one
 * into `out`. With fewer than two gradients seen, the prediction is the newest gradient.
 * `work` holds at least 2·window² + 2·window float64 scratch values.
 */
export function pushAndExtrapolate(
  b: Backend,
  buf: ExtrapolationBuffers,
  window: number,
  seen: number,
  g: Float32Array,
  lambda: number,
  out: Float32Array,
  work: Float64Array,
): void {
  const n = g.length;
  const slots = window + 1;
  const view = rows(buf.ring, slots, n);
  const slot = seen % slots;
  (view[slot] as Float32Array).set(g);
  const have = Math.min(seen + 1, slots);
  // Chronological slot of point i (0 = oldest of those kept).
  const first = seen + 1 - have;
  const at = (i: number) => (first + i) % slots;
  for (let i = 0; i < have; i++) {
    const s = at(i);
    const d = b.dot(view[slot] as Float32Array, view[s] as Float32Array);
    buf.gram[slot * slots + s] = d;
    buf.gram[s * slots + slot] = d;
  }
  const r = have - 1;
  if (r < 1) {
    out.set(g);
    return;
  }
  const G = (i: number, j: number) => buf.gram[at(i) * slots + at(j)] as number;
  // A = UᵀU (r × r) and its trace.
  const A = work;
  let trace = 0;
  for (let j = 0; j < r; j++)
    for (let k = 0; k < r; k++) {
      const a = G(j + 1, k + 1) - G(j + 1, k) - G(j, k + 1) + G(j, k);
      A[j * r + k] = a;
      if (j === k) trace += a;
    }
  if (!(trace > 0) || !Number.isFinite(trace)) {
    // The recent gradients are all equal (or not finite): the newest is the prediction.
    out.set(g);
    return;
  }
  const reg = (lambda * trace) / r;
  for (let j = 0; j < r; j++) A[j * r + j] = (A[j * r + j] as number) + reg;
  // Solve A z = 1 by Cholesky (A is symmetric positive definite once regularized).
  const z = work.subarray(r * r, r * r + r);
  choleskySolveOnes(A, r, z);
  let sum = 0;
  for (let j = 0; j < r; j++) sum += z[j] as number;
  out.fill(0);
  for (let i = 0; i < r; i++) b.axpy((z[i] as number) / sum, view[at(i)] as Float32Array, out);
}

// Solves A z = 1 in place of A's lower triangle (row-major r × r).
function choleskySolveOnes(A: Float64Array, r: number, z: Float64Array): void {
  for (let j = 0; j < r; j++) {
    let d = A[j * r + j] as number;
    for (let k = 0; k < j; k++) d -= (A[j * r + k] as number) ** 2;
    const ljj = Math.sqrt(Math.max(d, Number.MIN_VALUE));
    A[j * r + j] = ljj;
    for (let i = j + 1; i < r; i++) {
      let s = A[i * r + j] as number;
      for (let k = 0; k < j; k++) s -= (A[i * r + k] as number) * (A[j * r + k] as number);
      A[i * r + j] = s / ljj;
    }
  }
  for (let i = 0; i < r; i++) {
    let s = 1;
    for (let k = 0; k < i; k++) s -= (A[i * r + k] as number) * (z[k] as number);
    z[i] = s / (A[i * r + i] as number);
  }
  for (let i = r - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < r; k++) s -= (A[k * r + i] as number) * (z[k] as number);
    z[i] = s / (A[i * r + i] as number);
  }
}
