// FOSI (Sivan, Gabel, Schuster, ICLR 2024), after hsivan/fosi fosi/jax_optim/fosi_optimizer.py:
// every T steps (from step W) Lanczos on Hessian-vector products estimates the top-k eigenpairs
// (λ_i, u_i), V = [u_i]. Each step splits g into g₁ = VVᵀg and g₂ = g − g₁; the base optimizer
// steps on g₂ and its step is projected off span(V); inside span(V) a Newton step on the momentum
// of g₁ (v ← β v + (1 − β) g₁): Δ = c·(Δ₂ − VVᵀΔ₂) − α·V diag(1/|λ|) Vᵀ v, with
// c = clip(λ₁/λ_k, 1, learningRateClip) (the reference's fosi_adam fixes the clip at 1).
// Before the first estimate (and always for k = 0) the step is the base optimizer's, unchanged.
import { hessianEigs } from '../../nn/lanczos.js';
import { checkInteger } from '../../util/check.js';
import {
  checkBeta,
  checkNonNegative,
  checkStepArgs,
  innerState,
  newState,
  parseOptions,
  stateBuffer,
} from '../internal.js';
import type { Optimizer, OptState } from '../types.js';
import { curvatureProduct, dot } from './oracle.js';

/** The base optimizer, subspace size and refresh schedule of FOSI (Sivan et al. 2024). */
export interface FosiOptions {
  /** The first-order optimizer run on the complement of the top-k eigenspace (e.g. optim.adam()). */
  base: Optimizer;
  /** Number of top Hessian eigenpairs (default 5; 0 is the base optimizer). */
  k?: number;
  /** Lanczos iterations per estimate (default 4k, the reference's m = 4(k + ℓ) with ℓ = 0). */
  lanczosIters?: number;
  /** Steps between estimates T (default 100). */
  every?: number;
  /** Step of the first estimate W (default = every). */
  warmup?: number;
  /** Newton step size α inside the subspace (default 0.1). */
  alpha?: number;
  /** Momentum β of g₁ (default 0.9). */
  momentum?: number;
  /** Upper clip of the base step's scale c (default 3; 1 is the reference's fosi_adam). */
  learningRateClip?: number;
  /** Seed of the Lanczos start vectors (default 0). */
  seed?: number;
}

/** FOSI around a base optimizer; needs `extra.curvature.hvp` on the steps that re-estimate. */
export function fosi(options: FosiOptions): Optimizer {
  const name = 'fosi';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name}: expected an options object`);
  const base = options.base;
  if ((base as Optimizer | undefined)?.kind !== 'optimizer')
    throw new TypeError(`${name}: base: expected an optimizer (e.g. optim.adam())`);
  const o = parseOptions(name, options, {
    base: base as object,
    k: 5,
    lanczosIters: 0,
    every: 100,
    warmup: 0,
    alpha: 0.1,
    momentum: 0.9,
    learningRateClip: 3,
    seed: 0,
  });
  checkInteger(o.k, `${name}: k`, 0);
  const iters = options.lanczosIters ?? 4 * o.k;
  if (o.k > 0) checkInteger(iters, `${name}: lanczosIters`, o.k);
  checkInteger(o.every, `${name}: every`, 1);
  const warmup = options.warmup ?? o.every;
  checkInteger(warmup, `${name}: warmup`, 1);
  checkNonNegative(o.alpha, `${name}: alpha`);
  checkBeta(o.momentum, `${name}: momentum`);
  if (!(o.learningRateClip >= 1)) throw new RangeError(`${name}: learningRateClip: expected a number >= 1`);
  const fullName = `fosi(${base.name})`;
  let scratch = new Float32Array(0);
  let g2 = new Float32Array(0);

  const estimate = (params: Float32Array, state: OptState, hvp: (v: Float32Array, out: Float32Array) => void) => {
    const n = params.length;
    const k = Math.min(o.k, n);
    const e = hessianEigs(hvp, {
      k,
      dim: n,
      iterations: Math.max(k, Math.min(n, iters)),
      seed: o.seed + (state.scalars.estimates ?? 0),
    });
    const V = new Float32Array(k * n);
    e.vectors.forEach((u, i) => {
      V.set(u, i * n);
    });
    state.buffers.V = V;
    state.buffers.lambda = Float64Array.from(e.values);
    const l1 = Math.abs(e.values[0] as number);
    const lk = Math.abs(e.values[e.values.length - 1] as number);
    state.scalars.c = Math.min(Math.max(lk > 0 ? l1 / lk : 1, 1), o.learningRateClip);
    state.scalars.rank = e.values.length;
    state.scalars.estimates = (state.scalars.estimates ?? 0) + 1;
  };

  return {
    kind: 'optimizer',
    name: fullName,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      return newState(
        { V: new Float32Array(0), lambda: new Float64Array(0), v: new Float32Array(params.length) },
        { rank: 0, c: 1, estimates: 0 },
        [base.init(params)],
      );
    },
    step(params, grads, state, extra) {
      checkStepArgs(fullName, params, grads);
      const n = params.length;
      const t = state.count + 1;
      state.count++;
      if (o.k > 0 && t >= warmup && (t - warmup) % o.every === 0)
        estimate(params, state, curvatureProduct(fullName, extra, 'hvp'));
      const inner = innerState(fullName, state, 0);
      const rank = state.scalars.rank ?? 0;
      if (rank === 0) return base.step(params, grads, inner, extra);
      const V = state.buffers.V as Float32Array;
      const lambda = state.buffers.lambda as Float64Array;
      const v = stateBuffer(fullName, state, 'v', n);
      if (V.length !== rank * n)
        throw new TypeError(`${fullName}: state.buffers.V: wrong size (state from other params?)`);
      const rows = Array.from({ length: rank }, (_, i) => V.subarray(i * n, (i + 1) * n));
      // g₁ = VVᵀg, g₂ = g − g₁; v ← βv + (1 − β)g₁.
      if (g2.length !== n) {
        g2 = new Float32Array(n);
        scratch = new Float32Array(n);
      }
      g2.set(grads);
      const a = rows.map((u) => dot(u, grads));
      const g1 = new Float64Array(n);
      rows.forEach((u, i) => {
        const ai = a[i] as number;
        for (let j = 0; j < n; j++) g1[j] = (g1[j] as number) + ai * (u[j] as number);
      });
      for (let j = 0; j < n; j++) {
        g2[j] = (grads[j] as number) - (g1[j] as number);
        v[j] = o.momentum * (v[j] as number) + (1 - o.momentum) * (g1[j] as number);
      }
      // Δ₂: the base step on g₂, then projected off span(V).
      scratch.set(params);
      base.step(scratch, g2, inner, extra);
      const d2 = Float64Array.from(scratch, (x, j) => x - (params[j] as number));
      const b = rows.map((u) => dot(u, d2));
      // Newton coefficients in the subspace: α·(uᵢᵀv)/|λᵢ| (a zero eigenvalue gives no Newton step).
      const newton = rows.map((u, i) => {
        const l = Math.abs(lambda[i] as number);
        return l > 0 ? (o.alpha * dot(u, v)) / l : 0;
      });
      const c = state.scalars.c ?? 1;
      const step = Float64Array.from(d2, (x) => c * x);
      rows.forEach((u, i) => {
        const w = c * (b[i] as number) + (newton[i] as number);
        for (let j = 0; j < n; j++) step[j] = (step[j] as number) - w * (u[j] as number);
      });
      for (let j = 0; j < n; j++) params[j] = (params[j] as number) + (step[j] as number);
      return true;
    },
  };
}
