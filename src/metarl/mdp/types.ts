// Shared types of the tabular-MDP baselines (PSRL, BEB, greedy, random) and of their evaluation.
import type { Rng } from '../rng.js';

/** The tabular MDP family an agent is asked to play: one trial is `episodes` episodes of `horizon` steps. */
export interface MdpSetting {
  states: number;
  actions: number;
  horizon: number;
  episodes: number;
}

/** What an MDP agent sees before each step of a batch of trials played in lockstep. */
export interface MdpView {
  /** Step inside the trial (0-based). */
  readonly t: number;
  /** Episode inside the trial and step inside the episode. */
  readonly episode: number;
  readonly step: number;
  readonly rows: number;
  /** Every row's current state. */
  readonly states: Int32Array;
  /** The evaluation's stream for the agent's own randomness (seeded). */
  readonly rng: Rng;
}

/** One step's transitions of every row, reported after the step. */
export interface MdpTransition {
  readonly rows: number;
  readonly states: Int32Array;
  readonly actions: Int32Array;
  readonly rewards: Float64Array;
  /** The state reached (before any reset at an episode end). */
  readonly nextStates: Int32Array;
  /** 1 where the step ended an episode. */
  readonly done: Uint8Array;
}

/** An agent's per-evaluation state: chooses actions and learns from transitions (a trial starts fresh). */
export interface MdpActor {
  /** Chooses every row's action into `out` [rows]. */
  act(view: MdpView, out: Int32Array): void;
  /** Updates the agent's statistics with the step just taken. */
  observe(tr: MdpTransition): void;
}

/** An agent runnable by `metaRl.evaluateMdpTrials`. */
export interface MdpAgent {
  readonly kind: 'metaRl.mdpAgent';
  readonly name: string;
  /** A fresh actor for `rows` trials played in lockstep. */
  mdp(setting: MdpSetting, rows: number): MdpActor;
}
