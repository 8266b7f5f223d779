// The direction the inner steps follow, with its derivatives: ∇_w f for plain hypergradients, or
// BDA's aggregate of the inner and outer gradients. One unroller serves both, and counts the work.
import type { BilevelProblem, HypergradientStats } from './types.js';

/** d_k(w, λ) at inner step k (1-based) and its derivatives in w (symmetric) and λ. */
export interface Direction {
  grad(w: Float32Array, k: number, out: Float32Array): void;
  /** (∂d_k/∂w)·v. */
  hvp(w: Float32Array, k: number, v: Float32Array, out: Float32Array): void;
  /** (∂d_k/∂λ)ᵀ·v (lambdaSize). */
  mixedVjp(w: Float32Array, k: number, v: Float32Array, out: Float32Array): void;
  /** (∂d_k/∂λ)·u (wSize). */
  mixedJvp(w: Float32Array, k: number, u: Float32Array, out: Float32Array): void;
  readonly stats: HypergradientStats;
}

export function newStats(): HypergradientStats {
  return { grads: 0, hvps: 0, mixed: 0, storedFloats: 0 };
}

/** d_k = ∇_w f(w, λ). */
export function innerDirection(p: BilevelProblem, lambda: Float32Array): Direction {
  const stats = newStats();
  return {
    stats,
    grad(w, _k, out) {
      stats.grads++;
      p.inner(w, lambda, out);
    },
    hvp(w, _k, v, out) {
      stats.hvps++;
      p.innerHvp(w, lambda, v, out);
    },
    mixedVjp(w, _k, v, out) {
      stats.mixed++;
      p.innerMixedVjp(w, lambda, v, out);
    },
    mixedJvp(w, _k, u, out) {
      stats.mixed++;
      p.innerMixedJvp(w, lambda, u, out);
    },
  };
}

/**
 * BDA (Liu et al. 2020), as in the authors' code (boml/lower_iter/aggr.py with s = t = γ = 1):
 * d_k = (1 − α)·∇_w f + α·decay^(k−1)·∇_w F — only the outer weight decays over the inner steps.
 */
export function bdaDirection(p: BilevelProblem, lambda: Float32Array, alpha: number, decay: number): Direction {
  const { outerHvp, outerMixedVjp } = p;
  if (alpha > 0 && outerHvp === undefined)
    throw new TypeError(`bilevel bda: problem '${p.name}' has no outerHvp (BDA differentiates through ∇_w F)`);
  const stats = newStats();
  const n = p.wSize;
  const tmpW = new Float32Array(n);
  const tmpL = new Float32Array(p.lambdaSize);
  const outerWeight = (k: number): number => alpha * decay ** (k - 1);
  return {
    stats,
    grad(w, k, out) {
      stats.grads++;
      p.inner(w, lambda, out);
      if (alpha === 0) return;
      p.outer(w, lambda, tmpW);
      const a = 1 - alpha;
      const b = outerWeight(k);
      for (let i = 0; i < n; i++) out[i] = a * (out[i] as number) + b * (tmpW[i] as number);
    },
    hvp(w, k, v, out) {
      stats.hvps++;
      p.innerHvp(w, lambda, v, out);
      if (alpha === 0 || outerHvp === undefined) return;
      outerHvp.call(p, w, lambda, v, tmpW);
      const a = 1 - alpha;
      const b = outerWeight(k);
      for (let i = 0; i < n; i++) out[i] = a * (out[i] as number) + b * (tmpW[i] as number);
    },
    mixedVjp(w, k, v, out) {
      stats.mixed++;
      p.innerMixedVjp(w, lambda, v, out);
      if (alpha === 0) return;
      const a = 1 - alpha;
      for (let j = 0; j < out.length; j++) out[j] = a * (out[j] as number);
      if (outerMixedVjp === undefined) return; // ∇_w F does not depend on λ
      outerMixedVjp.call(p, w, lambda, v, tmpL);
      const b = outerWeight(k);
      for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + b * (tmpL[j] as number);
    },
    mixedJvp() {
      throw new TypeError('bilevel bda: forward mode is not supported through BDA steps (use reverse)');
    },
  };
}
