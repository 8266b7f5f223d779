// Conjugate gradient for symmetric positive (semi-)definite systems given only as products:
// (A + damping·I) x = b. The one solver behind every curvature method that needs one (TRPO's
// natural step, implicit hypergradients, CGD's game step, iMAML). Vectors are float32 like the
// parameters they live beside; the scalars of the recurrence are kept in double.

/** A matrix-vector product: writes A·v into `out`. */
export type MatVec = (v: Float32Array, out: Float32Array) => void;

/** Options of `nn.cg`: iterations, tolerance, damping and starting point. */
export interface CgOptions {
  /** Iterations at most (default 10). */
  iters?: number;
  /** Stop when the residual norm falls below tol·‖b‖ (default 1e-10). */
  tol?: number;
  /** Tikhonov damping added to A (default 0). */
  damping?: number;
  /** Starting point (default 0); not modified. */
  x0?: Float32Array;
}

/** What `nn.cg` returns: the solution, the iterations run and the final residual norm. */
export interface CgResult {
  x: Float32Array;
  /** Iterations run. */
  iters: number;
  /** Final residual norm ‖b − (A + damping·I)x‖ (as tracked by the recurrence). */
  residual: number;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Solves (A + damping·I) x = b by conjugate gradient on products with A. */
export function cg(matvec: MatVec, b: Float32Array, options: CgOptions = {}): CgResult {
  if (!(b instanceof Float32Array)) throw new TypeError('cg: b: expected a Float32Array');
  const iters = options.iters ?? 10;
  const tol = options.tol ?? 1e-10;
  const damping = options.damping ?? 0;
  if (!Number.isInteger(iters) || iters < 0) throw new RangeError(`cg: iters: expected an integer ≥ 0, got ${iters}`);
  if (!(tol >= 0)) throw new RangeError(`cg: tol: expected a number ≥ 0, got ${tol}`);
  if (!(damping >= 0) || !Number.isFinite(damping))
    throw new RangeError(`cg: damping: expected a finite number ≥ 0, got ${damping}`);
  const n = b.length;
  if (options.x0 !== undefined && (!(options.x0 instanceof Float32Array) || options.x0.length !== n))
    throw new RangeError(`cg: x0: expected a Float32Array of length ${n}`);
  const x = options.x0 ? options.x0.slice() : new Float32Array(n);
  const r = b.slice();
  const ap = new Float32Array(n);
  if (options.x0) {
    matvec(x, ap);
    for (let i = 0; i < n; i++) r[i] = (r[i] as number) - (ap[i] as number) - damping * (x[i] as number);
  }
  const p = r.slice();
  let rr = dot(r, r);
  const stop = tol * tol * Math.max(dot(b, b), Number.MIN_VALUE);
  let k = 0;
  while (k < iters && rr > stop) {
    matvec(p, ap);
    let pAp = 0;
    for (let i = 0; i < n; i++) {
      const api = (ap[i] as number) + damping * (p[i] as number);
      ap[i] = api;
      pAp += (p[i] as number) * api;
    }
    if (!(pAp > 0)) break; // not positive definite along p (or NaN): stop with what we have
    const alpha = rr / pAp;
    for (let i = 0; i < n; i++) {
      x[i] = (x[i] as number) + alpha * (p[i] as number);
      r[i] = (r[i] as number) - alpha * (ap[i] as number);
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    for (let i = 0; i < n; i++) p[i] = (r[i] as number) + beta * (p[i] as number);
    rr = rrNew;
    k++;
  }
  return { x, iters: k, residual: Math.sqrt(rr) };
}
