// Shapes of the games module: a two-player zero-sum differentiable game min_x max_y f(x, y) over
// flat Float32Array parameter vectors, the solvers' options and what they return.

/** A known equilibrium (or local minimax point) of a game, for distance diagnostics. */
export interface Equilibrium {
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/**
 * min_x max_y f(x, y), x ∈ ℝᵐ, y ∈ ℝⁿ. Each method writes into caller buffers; the second-order
 * products are exact (hand-written for the built-ins, through nn's HVP for network players).
 */
export interface Game {
  readonly name: string;
  readonly m: number;
  readonly n: number;
  /** The known equilibrium, when there is one (built-ins solve for it). */
  readonly equilibrium?: Equilibrium;
  /** f(x, y). */
  value(x: Float32Array, y: Float32Array): number;
  /** ∇ₓf into gx (length m) and ∇ᵧf into gy (length n). */
  grad(x: Float32Array, y: Float32Array, gx: Float32Array, gy: Float32Array): void;
  /** D²ₓₓf·u → out (ℝᵐ). */
  dxx(x: Float32Array, y: Float32Array, u: Float32Array, out: Float32Array): void;
  /** D²ₓᵧf·v (v ∈ ℝⁿ) → out (ℝᵐ). */
  dxy(x: Float32Array, y: Float32Array, v: Float32Array, out: Float32Array): void;
  /** D²ᵧₓf·u (u ∈ ℝᵐ) → out (ℝⁿ). */
  dyx(x: Float32Array, y: Float32Array, u: Float32Array, out: Float32Array): void;
  /** D²ᵧᵧf·v → out (ℝⁿ). */
  dyy(x: Float32Array, y: Float32Array, v: Float32Array, out: Float32Array): void;
}

/** The solvers of `games.solve`. */
export type GameMethod =
  | 'gda'
  | 'alternatingGda'
  | 'extragradient'
  | 'optimistic'
  | 'twoTimescaleEg'
  | 'cgd'
  | 'complexMomentum';

/** The method, step size and length of a game solver run, and what it records. */
export interface SolveOptions {
  /** The update rule (see GameMethod). */
  method: GameMethod;
  /** Step size η (> 0). For twoTimescaleEg it is the max player's; the min player takes η/τ. */
  lr: number;
  /** Steps to run (integer ≥ 0); a run stops early when the iterate stops being finite. */
  steps: number;
  /** Start of the min player (default zeros); not modified. */
  x0?: Float32Array;
  /** Start of the max player (default zeros); not modified. */
  y0?: Float32Array;
  /** twoTimescaleEg: τ ≥ 1, how many times faster the max player moves (default 4). */
  timescale?: number;
  /** complexMomentum: |β| in [0, 1) (default 0.9). */
  momentum?: number;
  /** complexMomentum: arg β in radians (default π/8 as in optim.complexMomentum). */
  angle?: number;
  /** cgd: conjugate-gradient iterations per step (default m, at most 100). */
  cgIters?: number;
  /** cgd: CG relative residual tolerance (default 1e-7). */
  cgTol?: number;
  /** Record a history entry every this many steps (default 1; the last step is always recorded). */
  every?: number;
  /** Record the game Jacobian's eigenvalues at each recorded point (m + n ≤ 64; default false). */
  eigenvalues?: boolean;
}

/** One diagnostic row: the iterate after `step` steps. */
export interface HistoryEntry {
  step: number;
  /** ‖(∇ₓf, ∇ᵧf)‖ at the iterate. */
  gradNorm: number;
  /** ‖(x, y) − (x*, y*)‖ when the game knows its equilibrium. */
  distance?: number;
  /**
   * Eigenvalues of the Jacobian of the field ξ = (∇ₓf, −∇ᵧf) at the iterate (re, im pairs), when
   * asked for. Simultaneous GDA is locally stable for small η iff every real part is positive.
   */
  eigenvalues?: { re: Float64Array; im: Float64Array };
}

/** A solver run: the final iterate and its recorded history. */
export interface SolveResult {
  /** Final min-player parameters (a new array). */
  x: Float32Array;
  /** Final max-player parameters (a new array). */
  y: Float32Array;
  /** Recorded entries (every `every`-th step, and the last). */
  history: HistoryEntry[];
}
