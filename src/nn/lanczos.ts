// nn.hessianEigs: top-k eigenpairs of a Hessian from Hessian-vector products only, by Lanczos
// with full reorthogonalization (float64 basis), then Jacobi on the small tridiagonal matrix.
import * as random from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import { symmetricEigen } from '../util/eigen.js';
import type { HessianEigs, Loss, Mlp } from './types.js';

/** out = H·v. */
export type HvpFn = (v: Float32Array, out: Float32Array) => void;

/** A model's loss Hessian at `params` on the batch (x, loss targets). */
export interface HessianSource {
  net: Mlp;
  params: Float32Array;
  x: Float32Array;
  batch: number;
  loss: Loss;
}

/** Options of `nn.hessianEigs`: how many eigenpairs and the Lanczos iterations. */
export interface HessianEigsOptions {
  /** Number of eigenpairs (default 1). */
  k?: number;
  /** Dimension of v (required with an HvpFn; the model's size otherwise). */
  dim?: number;
  /** Most Lanczos steps (default min(dim, max(2k + 20, 40))). */
  iterations?: number;
  /** 'largest' (algebraic, default) or 'magnitude' (largest |λ|). */
  which?: 'largest' | 'magnitude';
  /** Stop once every wanted Ritz residual is below tol·max|θ| (default 1e-6). */
  tol?: number;
  /** Seed of the start vector (default 0). */
  seed?: number;
}

/** Eigenvalues and eigenvectors (columns of V, row-major m×m) of a symmetric matrix, cyclic Jacobi. */
export function jacobiEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  symmetricEigen(a, m, values, vectors);
  return { values, vectors };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Top-k eigenvalues and unit eigenvectors of a symmetric operator given by Hessian-vector
 * products: either an HvpFn (with options.dim) or { net, params, x, batch, loss }.
 */
export function hessianEigs(source: HvpFn | HessianSource, options: HessianEigsOptions = {}): HessianEigs {
  checkKnownKeys(options, ['k', 'dim', 'iterations', 'which', 'tol', 'seed'], 'hessianEigs');
  let hvp: HvpFn;
  let dim: number;
  if (typeof source === 'function') {
    if (options.dim === undefined) throw new TypeError('hessianEigs: dim: required with an hvp function');
    checkInteger(options.dim, 'hessianEigs: dim', 1);
    dim = options.dim;
    hvp = source;
  } else {
    if (typeof source !== 'object' || source === null || typeof source.net?.hvpInto !== 'function')
      throw new TypeError('hessianEigs: expected an hvp function or { net, params, x, batch, loss }');
    const { net, params, x, batch, loss } = source;
    checkFloat32(params, 'hessianEigs: params', net.size);
    dim = net.size;
    if (options.dim !== undefined && options.dim !== dim)
      throw new RangeError(`hessianEigs: dim: the model has ${dim} parameters, got ${options.dim}`);
    hvp = (v, out) => {
      net.hvpInto(params, x, batch, loss, v, out);
    };
  }
  const k = options.k ?? 1;
  checkInteger(k, 'hessianEigs: k', 1, dim);
  const maxIter = options.iterations ?? Math.min(dim, Math.max(2 * k + 20, 40));
  checkInteger(maxIter, 'hessianEigs: iterations', k, dim);
  const which = options.which ?? 'largest';
  if (which !== 'largest' && which !== 'magnitude')
    throw new RangeError(`hessianEigs: which: expected 'largest' or 'magnitude', got ${String(which)}`);
  const tol = options.tol ?? 1e-6;
  checkNumber(tol, 'hessianEigs: tol');

  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = []; // beta[j] couples q_j and q_{j+1}
  const v32 = new Float32Array(dim);
  const w32 = new Float32Array(dim);
  const q0 = Float64Array.from(random.normal(random.key(options.seed ?? 0), dim));
  const n0 = Math.sqrt(dot(q0, q0));
  for (let i = 0; i < dim; i++) q0[i] = (q0[i] as number) / n0;
  Q.push(q0);

  let ritz: { values: Float64Array; vectors: Float64Array; order: number[] } | undefined;
  const solve = (m: number) => {
    const T = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      T[i * m + i] = alpha[i] as number;
      if (i + 1 < m) {
        T[i * m + i + 1] = beta[i] as number;
        T[(i + 1) * m + i] = beta[i] as number;
      }
    }
    const { values, vectors } = jacobiEigen(T, m);
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) =>
      which === 'largest'
        ? (values[b] as number) - (values[a] as number)
        : Math.abs(values[b] as number) - Math.abs(values[a] as number),
    );
    return { values, vectors, order };
  };

  let steps = 0;
  for (let j = 0; j < maxIter; j++) {
    const q = Q[j] as Float64Array;
    for (let i = 0; i < dim; i++) v32[i] = q[i] as number;
    hvp(v32, w32);
    const w = Float64Array.from(w32);
    const a = dot(w, q);
    alpha.push(a);
    steps = j + 1;
    // Full reorthogonalization (twice is enough) keeps the basis orthogonal in finite precision.
    for (let pass = 0; pass < 2; pass++)
      for (const u of Q) {
        const d = dot(w, u);
        for (let i = 0; i < dim; i++) w[i] = (w[i] as number) - d * (u[i] as number);
      }
    const b = Math.sqrt(dot(w, w));
    const m = j + 1;
    const done = m === maxIter || b <= 1e-10 * Math.max(1, Math.abs(a));
    if (m >= k && (done || m % 5 === 0)) {
      ritz = solve(m);
      let scale = 0;
      for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(ritz.values[i] as number));
      let converged = true;
      for (let r = 0; r < k; r++) {
        const c = ritz.order[r] as number;
        if (Math.abs(b * (ritz.vectors[(m - 1) * m + c] as number)) > tol * Math.max(scale, 1e-30)) converged = false;
      }
      if (converged || done) break;
    }
    beta.push(b);
    const next = new Float64Array(dim);
    for (let i = 0; i < dim; i++) next[i] = (w[i] as number) / b;
    Q.push(next);
  }
  const R = ritz ?? solve(steps);
  const m = steps;
  const kk = Math.min(k, m);
  const values = new Float64Array(kk);
  const vectors: Float32Array[] = [];
  for (let r = 0; r < kk; r++) {
    const c = R.order[r] as number;
    values[r] = R.values[c] as number;
    const vec = new Float64Array(dim);
    for (let i = 0; i < m; i++) {
      const s = R.vectors[i * m + c] as number;
      const qi = Q[i] as Float64Array;
      for (let t = 0; t < dim; t++) vec[t] = (vec[t] as number) + s * (qi[t] as number);
    }
    const nrm = Math.sqrt(dot(vec, vec)) || 1;
    vectors.push(Float32Array.from(vec, (x) => x / nrm));
  }
  return { values, vectors, iterations: m };
}
