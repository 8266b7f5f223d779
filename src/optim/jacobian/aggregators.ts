// Jacobian descent's aggregators (Quinton & Rey, "Jacobian Descent for Multi-Objective
// Optimization", arXiv 2406.16232; behaviour of the authors' TorchJD at 46962c2): each maps an
// m × n Jacobian J (row i = the gradient of objective i) to one n-vector Jᵀw. Every weight vector
// w comes from an m × m problem on the Gramian G = JJᵀ, solved exactly in float64.
import { checkJacobian, combine, gramian, trace } from './gramian.js';
import { nonNegativeQp } from './qp.js';

/** Options of `upgrad`: TorchJD's UPGrad settings. */
export interface UpgradOptions {
  /**
   * Preference weights of the rows (length m, each ≥ 0); the result is Σ_i pref_i · (row i
   * projected onto the dual cone). Default 1/m each (the average of the projections).
   */
  pref?: Float32Array | Float64Array | readonly number[];
  /** Below this trace G counts as zero and the update is zero (TorchJD's norm_eps). Default 1e-4. */
  normEps?: number;
  /**
   * Ridge added to the trace-normalized G (TorchJD's reg_eps), which makes each QP strictly convex
   * when rows are linearly dependent. It relaxes the non-conflict guarantee to
   * row_i · result ≥ −regEps · tr(G) · w_i. Default 1e-4; 0 gives the exact projection (rows must
   * then be linearly independent on every face the solver visits).
   */
  regEps?: number;
}

function checkEps(fn: string, name: string, x: number): number {
  if (!(Number.isFinite(x) && x >= 0)) throw new RangeError(`${fn}: ${name}: expected a finite number >= 0, got ${x}`);
  return x;
}

/**
 * The mean of J's rows: the plain multi-objective baseline (conflicting rows can cancel, and the
 * result may increase some objective).
 */
export function mean(J: Float32Array, m: number): Float32Array {
  const n = checkJacobian('optim.jacobian.mean', J, m);
  return combine(J, m, n, new Float64Array(m).fill(1 / m));
}

/** The weights UPGrad gives J's rows (length m, float64): Jᵀ(weights) is `upgrad(J, m)`. */
export function upgradWeights(J: Float32Array, m: number, options: UpgradOptions = {}): Float64Array {
  const fn = 'optim.jacobian.upgrad';
  const n = checkJacobian(fn, J, m);
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: options: expected an object`);
  const normEps = checkEps(fn, 'normEps', options.normEps ?? 1e-4);
  const regEps = checkEps(fn, 'regEps', options.regEps ?? 1e-4);
  const pref = new Float64Array(m).fill(1 / m);
  if (options.pref !== undefined) {
    if (options.pref.length !== m)
      throw new RangeError(`${fn}: pref: expected ${m} weights, got ${options.pref.length}`);
    for (let i = 0; i < m; i++) {
      const p = options.pref[i] as number;
      if (!(Number.isFinite(p) && p >= 0)) throw new RangeError(`${fn}: pref: entry ${i} must be finite and >= 0`);
      pref[i] = p;
    }
  }
  const g = gramian(J, m, n);
  const tr = trace(g, m);
  // A (numerically) zero Jacobian: TorchJD zeroes G, so every projection is the preference itself.
  if (tr < normEps) return pref;
  for (let i = 0; i < m * m; i++) g[i] = g[i]! / tr;
  for (let i = 0; i < m; i++) g[i * m + i] = g[i * m + i]! + regEps;
  // Row i projected onto the dual cone {x : Jx ≥ 0} is Jᵀv with v = argmin vᵀGv s.t. v ≥ u,
  // u = pref_i e_i (Proposition 1). With v = u + z: min ½zᵀGz + (Gu)ᵀz over z ≥ 0.
  const w = new Float64Array(m);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const u = pref[i]!;
    if (u === 0) continue;
    for (let j = 0; j < m; j++) b[j] = g[j * m + i]! * u;
    const z = nonNegativeQp(g, b, m);
    for (let j = 0; j < m; j++) w[j] = w[j]! + z[j]!;
    w[i] = w[i]! + u;
  }
  return w;
}

/**
 * UPGrad: each row of J projected onto the dual cone of the rows, then averaged (weighted by
 * `pref`). The result never conflicts with any row (row · result ≥ 0, up to `regEps`), equals the
 * mean when no two rows conflict, and is zero when 0 is in the rows' convex hull (e.g. two opposite rows).
 *
 * @param J the m × n Jacobian, row-major.
 * @param m the number of objectives (rows).
 * @returns the n-vector update direction (a descent direction: subtract it times a step size).
 */
export function upgrad(J: Float32Array, m: number, options?: UpgradOptions): Float32Array {
  const w = upgradWeights(J, m, options);
  return combine(J, m, J.length / m, w);
}

/** The weights MGDA gives J's rows: a point of the simplex (length m, float64). */
export function mgdaWeights(J: Float32Array, m: number): Float64Array {
  const n = checkJacobian('optim.jacobian.mgda', J, m);
  const g = gramian(J, m, n);
  const tr = trace(g, m);
  if (tr === 0) return new Float64Array(m).fill(1 / m);
  // The min-norm point of the simplex α ↦ αᵀGα: with μ = αᵀGα > 0, β = α/μ solves
  // min ½βᵀGβ − 1ᵀβ over β ≥ 0 (same KKT conditions), so α = β / Σβ. The tiny ridge keeps the
  // QP bounded when 0 is in the hull (μ = 0), where α then tends to the exact minimizer.
  for (let i = 0; i < m * m; i++) g[i] = g[i]! / tr;
  for (let i = 0; i < m; i++) g[i * m + i] = g[i * m + i]! + 1e-12;
  const beta = nonNegativeQp(g, new Float64Array(m).fill(-1), m);
  let sum = 0;
  for (let i = 0; i < m; i++) sum += beta[i]!;
  for (let i = 0; i < m; i++) beta[i] = beta[i]! / sum;
  return beta;
}

/**
 * MGDA (Désidéri; Sener & Koltun): the minimum-norm point of the convex hull of J's rows, solved
 * exactly (TorchJD uses Frank-Wolfe with a 1e-3 stopping rule instead). Dominated by the smallest
 * gradient; zero when 0 is in the hull (a Pareto-stationary point).
 */
export function mgda(J: Float32Array, m: number): Float32Array {
  const w = mgdaWeights(J, m);
  return combine(J, m, J.length / m, w);
}
