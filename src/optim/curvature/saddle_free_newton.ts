// Saddle-free Newton (Dauphin et al., NeurIPS 2014), Krylov form: a Lanczos basis V of the Hessian
// started at g (k = rank vectors, as the paper and the SFOptimizer port do), the projected
// Ĥ = VᵀHV (tridiagonal) eigendecomposed, and the step −lr·V(|Ĥ| + λI)⁻¹Vᵀg. Replacing each
// eigenvalue by its absolute value turns negative-curvature directions from attractors (Newton)
// into repellers. With rank = n it is exact SFN on |H|. `absolute: false` gives the damped Newton
// step in the same subspace: the baseline that a saddle attracts.
import { getBackend } from '../../backend/index.js';
import { krylov } from '../../nn/curvature.js';
import { checkInteger } from '../../util/check.js';
import { checkNonNegative, checkStepArgs, lrAt, newState, parseOptions } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { curvatureProduct, dot } from './oracle.js';

/** Step size, Krylov dimension and damping of saddle-free Newton (Dauphin et al. 2014). */
export interface SaddleFreeNewtonOptions {
  /** Step size (default 1). */
  lr?: LearningRate;
  /** Krylov dimension k: Hessian-vector products per step (default 20, capped at n). */
  rank?: number;
  /** Tikhonov damping λ on |Ĥ| (default 1e-3). */
  damping?: number;
  /** |λ| (default true, saddle-free) or λ itself (false: damped Newton in the Krylov space). */
  absolute?: boolean;
}

/** Saddle-free Newton in a Krylov subspace; needs `extra.curvature.hvp` each step. */
export function saddleFreeNewton(options?: SaddleFreeNewtonOptions): Optimizer {
  const name = 'saddleFreeNewton';
  const o = parseOptions(name, options, { lr: 1 as LearningRate, rank: 20, damping: 1e-3, absolute: true });
  checkInteger(o.rank, `${name}: rank`, 1);
  checkNonNegative(o.damping, `${name}: damping`);
  return {
    kind: 'optimizer',
    name,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      // minEig: the smallest Ritz value of the last step (negative near a saddle).
      return newState({}, { minEig: 0, rank: 0 });
    },
    step(params, grads, state, extra) {
      checkStepArgs(name, params, grads);
      const hvp = curvatureProduct(name, extra, 'hvp');
      const lr = lrAt(o.lr, state.count, `${name}: lr`);
      state.count++;
      if (dot(grads, grads) === 0) return true; // a critical point: no Krylov space to build
      const n = params.length;
      const K = krylov(hvp, grads, Math.min(o.rank, n));
      const m = K.basis.length;
      const T = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        T[i * m + i] = K.alpha[i] as number;
        if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = K.beta[i] as number;
      }
      const theta = new Float64Array(m);
      const U = new Float64Array(m * m); // rows: eigenvectors of T
      getBackend().optimSymEigen(T, m, theta, U);
      const c = K.basis.map((q) => dot(q, grads)); // Vᵀg
      const y = new Float64Array(m);
      for (let r = 0; r < m; r++) {
        const lam = (o.absolute ? Math.abs(theta[r] as number) : (theta[r] as number)) + o.damping;
        if (lam === 0) continue;
        let uc = 0;
        for (let i = 0; i < m; i++) uc += (U[r * m + i] as number) * (c[i] as number);
        const coef = uc / lam;
        for (let i = 0; i < m; i++) y[i] = (y[i] as number) + coef * (U[r * m + i] as number);
      }
      const d = new Float64Array(n);
      K.basis.forEach((q, i) => {
        const yi = y[i] as number;
        for (let t = 0; t < n; t++) d[t] = (d[t] as number) + yi * (q[t] as number);
      });
      for (let t = 0; t < n; t++) params[t] = (params[t] as number) - lr * (d[t] as number);
      state.scalars.minEig = theta[0] as number;
      state.scalars.rank = m;
      return true;
    },
  };
}
