// Shared types of the meta-RL baselines and their evaluation.
import type { Rng } from './rng.js';

/** A Beta(α, β) prior over each arm's success probability. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** The bandit problem a baseline is asked to play: k arms, a trial of `horizon` pulls, a prior. */
export interface BanditSetting {
  arms: number;
  horizon: number;
  prior: BetaPrior;
}

/**
 * What a bandit baseline sees before each pull of a batch of trials played in lockstep: the pull
 * index t (0-based) and every row's counts, `successes[row * arms + i]` and `failures[…]`.
 */
export interface BanditView {
  readonly t: number;
  readonly rows: number;
  readonly arms: number;
  readonly successes: Int32Array;
  readonly failures: Int32Array;
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
