// Shapes of the constrained module: a statistical constrained learning problem
// min_θ ℓ₀(θ) s.t. ℓᵢ(θ) ≤ cᵢ (Chamon et al.), the primal-dual solver's options and its record.
import type { Optimizer } from '../optim/types.js';

/** min_θ ℓ₀(θ) subject to ℓᵢ(θ) ≤ cᵢ, i = 1..k, over a flat parameter vector θ. */
export interface ConstrainedProblem {
  /** Number of parameters. */
  readonly size: number;
  /** The constraint levels c₁..c_k (k ≥ 1). */
  readonly limits: readonly number[];
  /**
   * Writes ∇ℓⱼ(θ) into grads[j] (j = 0 the objective, 1..k the constraints; each of length
   * `size`) and returns the k + 1 values ℓ₀..ℓ_k. `step` lets a problem pick its minibatch.
   */
  evaluate(theta: Float32Array, grads: Float32Array[], step: number): ArrayLike<number>;
}

/** The primal rule, dual step and schedule of the primal-dual solver. */
export interface PrimalDualOptions {
  /** The primal rule, stepping θ on ∇ₜL(θ, λ) = ∇ℓ₀ + Σλᵢ∇ℓᵢ (an optim optimizer). */
  optimizer: Optimizer;
  /** Dual step size η_λ (> 0). */
  dualLr: number;
  /** Outer iterations (each: `primalSteps` primal steps, then one dual step). */
  steps: number;
  /** Starting parameters; not modified. */
  theta0: Float32Array;
  /** Primal steps per dual step (default 1). */
  primalSteps?: number;
  /** Starting multipliers (default zeros), each ≥ 0. */
  lambda0?: readonly number[];
  /** Record every this many outer iterations (default 1; the last is always recorded). */
  every?: number;
}

/** One record, at the parameters after `step` outer iterations and the multipliers they were updated with. */
export interface PrimalDualEntry {
  step: number;
  /** ℓ₀(θ). */
  objective: number;
  /** ℓᵢ(θ), i = 1..k. */
  constraints: number[];
  /** λ after this iteration's dual step. */
  lambda: number[];
  /** L(θ, λ) = ℓ₀ + Σλᵢ(ℓᵢ − cᵢ) with the λ this iteration's primal steps used. */
  lagrangian: number;
  /** maxᵢ (ℓᵢ − cᵢ)₊: 0 when θ is feasible. */
  violation: number;
  /**
   * ℓ₀(θ) − L(θ, λ) = −Σλᵢ(ℓᵢ − cᵢ): the complementary-slackness gap between the primal value
   * and the Lagrangian at the iterate (0 at a KKT point); the empirical duality-gap estimate.
   */
  gap: number;
}

/** What the primal-dual solver returns. */
export interface PrimalDualResult {
  /** The final parameters (a new array). */
  theta: Float32Array;
  /** The final multipliers λ₁..λ_k (each ≥ 0). */
  lambda: number[];
  /** The recorded iterations (every `every`-th, and the last). */
  history: PrimalDualEntry[];
}
