// TRPO's step once the gradient and the Fisher-vector product are known (Schulman et al. 2015,
// Appendix C; the code of baselines' trpo_mpi and pytorch-maml-rl):
//   s = CG((F + λI), g), scaled so the quadratic model of the KL, ½Δᵀ(F + λI)Δ, equals δ:
//   Δ = s·sqrt(δ / (½ sᵀ(F + λI)s));
// then a backtracking line search over θ_old + f·Δ, f = 1, ρ, ρ², …, accepting the first f whose
// surrogate gain is positive and whose measured mean KL is at most δ (rllab's and cbfinn/maml_rl's
// rule; garage and pytorch-maml-rl require KL < δ, baselines allows 1.5δ); when none passes the
// parameters stay at θ_old.
import { cg, type MatVec } from '../../nn/cg.js';

export interface NaturalStepOptions {
  /** δ: the mean-KL trust region. */
  maxKl: number;
  cgIters: number;
  /** λ added to F in the solve and in the step's scale. */
  cgDamping: number;
}

export interface NaturalStep {
  /** Δ, the full step (zero when the curvature along s is not positive). */
  step: Float32Array;
  /** gᵀΔ: the surrogate gain the linear model predicts for the full step. */
  expectedGain: number;
  /** ½ sᵀ(F + λI)s of the unscaled CG solution. */
  shs: number;
  cgIters: number;
  cgResidual: number;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** The full natural-gradient step Δ for gradient g and Fisher-vector product `fvp` (without damping). */
export function naturalStep(g: Float32Array, fvp: MatVec, o: NaturalStepOptions): NaturalStep {
  const r = cg(fvp, g, { iters: o.cgIters, damping: o.cgDamping });
  const s = r.x;
  const fs = new Float32Array(s.length);
  fvp(s, fs);
  const shs = 0.5 * (dot(s, fs) + o.cgDamping * dot(s, s));
  const step = new Float32Array(s.length);
  // shs ≤ 0 only for a zero gradient or a broken product: then no step.
  if (shs > 0 && Number.isFinite(shs)) {
    const scale = Math.sqrt(o.maxKl / shs);
    for (let i = 0; i < s.length; i++) step[i] = (s[i] as number) * scale;
  }
  return { step, expectedGain: dot(g, step), shs, cgIters: r.iters, cgResidual: r.residual };
}

export interface LineSearchOptions {
  maxKl: number;
  /** Fractions tried at most (f = ratio^k, k < steps). */
  steps: number;
  /** ρ, the backtracking ratio in (0, 1). */
  ratio: number;
}

/** A candidate's measured surrogate gain (new − old) and mean KL to the old policy. */
export interface Trial {
  gain: number;
  kl: number;
}

export interface LineSearchResult {
  /** The accepted fraction f of the full step, or 0 when every trial failed. */
  fraction: number;
  /** Trials evaluated. */
  trials: number;
  /** Gain and KL of the accepted trial (0 and 0 when none was accepted). */
  gain: number;
  kl: number;
}

/** Whether a trial passes: finite, positive surrogate gain, mean KL ≤ δ. */
export function acceptable(t: Trial, maxKl: number): boolean {
  return Number.isFinite(t.gain) && Number.isFinite(t.kl) && t.gain > 0 && t.kl <= maxKl;
}

/**
 * Backtracking over f = 1, ρ, ρ², …: `evaluate(f)` measures θ_old + f·Δ (it may leave the
 * parameters there); the first acceptable f is returned. The caller restores θ_old when the
 * result's fraction is 0.
 */
export function backtrack(evaluate: (fraction: number) => Trial, o: LineSearchOptions): LineSearchResult {
  let f = 1;
  for (let k = 0; k < o.steps; k++) {
    const t = evaluate(f);
    if (acceptable(t, o.maxKl)) return { fraction: f, trials: k + 1, gain: t.gain, kl: t.kl };
    f *= o.ratio;
  }
  return { fraction: 0, trials: o.steps, gain: 0, kl: 0 };
}
