// Shared types of the meta-RL baselines and their evaluation.
import type { Rng } from './rng.js';

/** A Beta(α, β) prior over each arm's success probability. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/**
 * The arms of a bandit: 'bernoulli' (p ~ Beta(α, β), rewards 0/1) or 'gaussian' (μ ~ N(0, 1),
 * rewards ~ N(μ, 1), Bandit-v0's `rewards: 'gaussian'`).
 */
export type BanditRewards = 'bernoulli' | 'gaussian';

/** The bandit problem a baseline is asked to play: k arms, a trial of `horizon` pulls, a prior. */
export interface BanditSetting {
  arms: number;
  horizon: number;
  /** The Beta prior of Bernoulli arms (not read for Gaussian arms, whose prior is N(0, 1)). */
  prior: BetaPrior;
  /** The arms (default 'bernoulli'). */
  rewards?: BanditRewards;
}

/**
 * What a bandit baseline sees before each pull of a batch of trials played in lockstep: the pull
 * index t (0-based) and every row's statistics, indexed `[row * arms + i]`.
 */
export interface BanditView {
  readonly t: number;
  readonly rows: number;
  readonly arms: number;
  /** Pulls of arm i that paid 1 (Bernoulli arms; for Gaussian arms, pulls with a reward > 0). */
  readonly successes: Int32Array;
  /** Pulls of arm i that paid 0 (Bernoulli arms; for Gaussian arms, pulls with a reward ≤ 0). */
  readonly failures: Int32Array;
  /** Pulls of arm i. */
  readonly pulls: Int32Array;
  /** Sum of arm i's rewards. */
  readonly sums: Float64Array;
  /** Every row's previous action [rows] (−1 before the first pull). */
  readonly lastAction: Int32Array;
  /** Every row's previous reward [rows] (0 before the first pull). */
  readonly lastReward: Float64Array;
  /** The evaluation's stream for the baseline's own randomness (seeded). */
  readonly rng: Rng;
}

/** Chooses every row's arm into `out` [rows]. */
export type BanditActor = (view: BanditView, out: Int32Array) => void;

/** A fixed (non-learned) agent runnable by `metaRl.evaluateTrials`. */
export interface Baseline {
  readonly kind: 'metaRl.baseline';
  /** A short name for tables, e.g. 'ucb1' or 'gittins(γ=0.9)'. */
  readonly name: string;
  /** The actor for one bandit setting (tables such as the DP are built here, once). */
  bandit(setting: BanditSetting): BanditActor;
}
