// Types of the bilevel module: a problem as the products the hypergradient methods need, the
// options of `hypergradient` and `solve`, and what they return.
import type { Optimizer } from '../optim/types.js';

/**
 * A bilevel problem min_λ F(w*(λ), λ) with w*(λ) = argmin_w f(w, λ), given as the products the
 * methods need. All vectors are Float32Arrays; `w` has `wSize` entries and `λ` has `lambdaSize`.
 * Built-ins come from `bilevel.problems`; a hand-written object of this shape works the same.
 * Every `out` argument is overwritten (not accumulated into).
 */
export interface BilevelProblem {
  readonly name: string;
  /** Number of inner variables w. */
  readonly wSize: number;
  /** Number of hyperparameters λ. */
  readonly lambdaSize: number;
  /** Inner objective f(w, λ); writes ∇_w f into `gradW` when given. */
  inner(w: Float32Array, lambda: Float32Array, gradW?: Float32Array): number;
  /** Writes ∇_λ f(w, λ) into `out` (penalty-based methods need it). */
  innerGradLambda(w: Float32Array, lambda: Float32Array, out: Float32Array): void;
  /** Writes ∇²_w f(w, λ)·v into `out` (length wSize). */
  innerHvp(w: Float32Array, lambda: Float32Array, v: Float32Array, out: Float32Array): void;
  /** Writes the mixed product (∂²f/∂λ∂w)·v into `out`: out_j = Σ_i ∂²f/∂λ_j∂w_i · v_i (v: wSize, out: lambdaSize). */
  innerMixedVjp(w: Float32Array, lambda: Float32Array, v: Float32Array, out: Float32Array): void;
  /** Writes (∂²f/∂w∂λ)·u into `out`: out_i = Σ_j ∂²f/∂w_i∂λ_j · u_j (u: lambdaSize, out: wSize). Forward mode needs it. */
  innerMixedJvp(w: Float32Array, lambda: Float32Array, u: Float32Array, out: Float32Array): void;
  /** Outer objective F(w, λ); writes ∇_w F and ∇_λ F when the buffers are given. */
  outer(w: Float32Array, lambda: Float32Array, gradW?: Float32Array, gradLambda?: Float32Array): number;
  /** Writes ∇²_w F·v into `out`. Needed only by BDA (its inner steps follow ∇_w F too). */
  outerHvp?(w: Float32Array, lambda: Float32Array, v: Float32Array, out: Float32Array): void;
  /** Writes (∂²F/∂λ∂w)·v into `out` (lambdaSize). BDA only; omit it only when ∇_w F does not depend on λ. */
  outerMixedVjp?(w: Float32Array, lambda: Float32Array, v: Float32Array, out: Float32Array): void;
  /** An upper bound on ‖∇²_w f(·, λ)‖ (the inner step defaults to its inverse); estimated from HVPs when absent. */
  curvatureBound?(lambda: Float32Array): number;
  /** The inner starting point (default: zeros). */
  initW?(): Float32Array;
  /**
   * One fused backend kernel call (native, or its js twin) for `steps` plain-SGD inner steps
   * from `w0` and their reverse sweep (or, with `forward`, the forward sweep): the built-in ridge
   * and linear `weightedLoss` problems have it; `hypergradient` uses it with `fused: true`.
   */
  fusedSweep?(lambda: Float32Array, w0: Float32Array, steps: number, lr: number, forward: boolean): FusedResult;
}

/** What a problem's fused sweep returns: F(w_T), dF/dλ and w_T. */
export interface FusedResult {
  value: number;
  grad: Float32Array;
  w: Float32Array;
}

/** The hypergradient methods. */
export type HypergradientMethod = 'reverse' | 'truncated' | 'forward' | 'implicit' | 'neumann';

/** The inner optimizer that is unrolled (and differentiated exactly). */
export type InnerOptimizer = 'sgd' | 'momentum' | 'adam';

/** Options of `bilevel.hypergradient`: the inner optimizer unrolled, its steps, and how the hypergradient is computed. */
export interface HypergradientOptions {
  /** Default 'reverse'. */
  method?: HypergradientMethod;
  /** Inner steps T (default 100). For 'implicit'/'neumann' the steps that approximate w*. */
  steps?: number;
  /** 'truncated': back-propagate through the last K steps only (default ⌈T/10⌉; K = T is full reverse). */
  truncate?: number;
  /**
   * 'reverse'/'truncated': keep the optimizer state at every `checkpoint`-th step only and recompute
   * each segment in the backward pass — memory O((K/c + c)·|w|) instead of O(K·|w|) for one extra
   * forward pass; the hypergradient is the same bit for bit. Default: keep every step.
   */
  checkpoint?: number;
  /** Inner step size (default: 1/L from the problem's curvature bound for sgd/momentum; 0.01 for adam). */
  innerLr?: number;
  /** Inner optimizer (default 'sgd'). */
  innerOptimizer?: InnerOptimizer;
  /** Heavy-ball momentum μ of 'momentum' (default 0.9): m ← μm + g, w ← w − lr·m (PyTorch's SGD). */
  momentum?: number;
  /** Adam's β1 (default 0.9). */
  b1?: number;
  /** Adam's β2 (default 0.999). */
  b2?: number;
  /** Adam's ε (default 1e-8), added to √v̂ as in PyTorch. */
  eps?: number;
  /** Inner starting point (default: problem.initW(), else zeros); not modified. */
  w0?: Float32Array;
  /**
   * 'reverse'/'forward' with the 'sgd' inner optimizer on a problem with a `fusedSweep` (ridge,
   * linear weightedLoss): run the whole evaluation in one backend kernel (native or js twin) —
   * the same dynamics, adjoints and tangents accumulated in float64. Default false.
   */
  fused?: boolean;
  /** 'implicit': CG iterations at most (default min(wSize, 100)). */
  cgIters?: number;
  /** 'implicit': CG damping added to the Hessian (default 0). */
  cgDamping?: number;
  /** 'neumann': terms of the series (default 100). */
  neumannTerms?: number;
  /** 'neumann': the series' step α (default 1/L, L the curvature bound). */
  neumannLr?: number;
}

/** Work done by one hypergradient (products counted in calls to the problem). */
export interface HypergradientStats {
  /** Inner gradient evaluations. */
  grads: number;
  /** Inner Hessian-vector products. */
  hvps: number;
  /** Mixed products (either direction). */
  mixed: number;
  /** Float32 numbers kept for the backward pass or the tangents (the method's memory beyond O(|w|)). */
  storedFloats: number;
}

/** What `bilevel.hypergradient` returns: the outer objective, its hypergradient and the cost of computing it. */
export interface HypergradientResult {
  /** F(w_T, λ) (for 'implicit'/'neumann': at the approximate inner solution). */
  value: number;
  /** dF/dλ, length lambdaSize. */
  grad: Float32Array;
  /** The inner variables the value was taken at. */
  w: Float32Array;
  stats: HypergradientStats;
}

/** How `bilevel.solve` handles the inner problem: hypergradient descent, a value-function penalty, or BDA (bi-level descent aggregation). */
export type SolveMethod = 'hypergradient' | 'penalty' | 'bda';

/** One outer iteration's record. */
export interface SolveStep {
  iteration: number;
  /** F at the iteration's inner variables. */
  value: number;
}

/** Options of `bilevel.solve`: the method, the outer iterations and their step sizes. */
export interface SolveOptions {
  method: SolveMethod;
  /** Outer iterations (default 100). */
  iterations?: number;
  /** Starting hyperparameters (default zeros); not modified. */
  lambda0?: Float32Array;
  /** Steps λ with its (hyper)gradient (default optim.adam({ lr: 0.05 })). */
  outerOptimizer?: Optimizer;
  /** 'hypergradient': the hypergradient's options (steps, method, …). 'bda': steps, innerLr and w0 are read from it. */
  hypergradient?: HypergradientOptions;
  /** Start each inner run from the last one's w (default true). */
  warmStart?: boolean;
  /** 'penalty' (V-PBGD): the final penalty weight γ (default 10). */
  gammaMax?: number;
  /** 'penalty': iterations over which γ ramps linearly from 0 to gammaMax (default iterations/2). */
  gammaRamp?: number;
  /** 'penalty': SGD steps on the auxiliary inner copy ω per iteration (default 1). */
  auxSteps?: number;
  /** 'penalty': step size of w and ω (default 1/L). */
  innerLr?: number;
  /** 'bda': weight α of the outer direction in the inner steps (default 0.5). */
  alpha?: number;
  /** 'bda': geometric decay of the outer weight over the inner steps (default 0.9, the authors' code). */
  decay?: number;
  /** Called after every outer iteration. */
  onIteration?: (step: SolveStep) => void;
}

/** What `bilevel.solve` returns: the outer variables found and the history of the run. */
export interface SolveResult {
  lambda: Float32Array;
  /** The inner variables at the last iteration. */
  w: Float32Array;
  /** F at the final (λ, w). */
  value: number;
  history: SolveStep[];
}
