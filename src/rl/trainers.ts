// The trainers, by name, with what a driver needs to run one without knowing which: the
// hyperparameter table (the CLI's flags and their help), the defaults, the resolution (fill in and
// check, as train does first), train itself and the variant worth naming in run folders. A new
// trainer is its own file (loop, config interface, option table, defaults) plus one entry here.

import { METAGRAD_TRAINER } from '../metarl/metagrad/trainer.js';
import type { DefaultsOf, OptionTable, OptionTableOf } from '../util/options.js';
import * as a2c from './a2c.js';
import {
  A2C_DEFAULTS,
  A2C_OPTIONS,
  type A2cConfig,
  type CommonTrainConfig,
  type Hyperparameters,
  PPO_CONTINUOUS_DEFAULTS,
  PPO_DISCRETE_DEFAULTS,
  PPO_OPTIONS,
  type PpoConfig,
  type Resolved,
  resolveA2cConfig,
  resolvePpoConfig,
} from './config.js';
import type { TrainResult } from './ppo.js';
import * as ppo from './ppo.js';
import { isContinuous } from './setup.js';
import { resolveTrpoConfig } from './trpo/config.js';
import * as trpo from './trpo.js';

/** A trainer's config as a driver builds it: the env plus any of the trainer's own options. */
export type TrainerConfig = CommonTrainConfig & Record<string, unknown>;

/** A resolved config: every hyperparameter filled in. */
export type ResolvedTrainerConfig = Resolved<CommonTrainConfig> & Record<string, unknown>;

/** A trainer as a driver sees it (its config type erased). */
export interface Trainer {
  /** One line for `outerloop train --help`. */
  readonly summary: string;
  /** The hyperparameters: every config key but env and the runtime options. */
  readonly options: OptionTable;
  /** The defaults for an environment with discrete (false) or continuous (true) actions. */
  defaults(continuous: boolean): Readonly<Record<string, unknown>>;
  /** Fills in the defaults and checks everything, as train does first. */
  resolve(config: TrainerConfig): ResolvedTrainerConfig;
  train(config: TrainerConfig): Promise<TrainResult>;
  /** The variant a resolved config runs (PPO's objective), named in run folders and plots. */
  variant?(resolved: ResolvedTrainerConfig): string;
  /** Extra run-folder charts beside curve.svg: metrics fields (y) against steps, one SVG file each. */
  charts?(resolved: ResolvedTrainerConfig): readonly TrainerChart[];
}

/** One extra chart of a run folder (see Trainer.charts). */
export interface TrainerChart {
  /** File name in the run folder, e.g. 'meta_gamma.svg'. */
  readonly file: string;
  /** Metrics fields plotted against environment steps. */
  readonly y: readonly string[];
  /** The chart's title (the env, trainer and seed are added). */
  readonly title: string;
  /** The y axis title. */
  readonly yTitle: string;
}

/** A registry entry, typed by the trainer's own config (the compiler checks the parts agree). */
function trainer<C extends CommonTrainConfig>(entry: {
  summary: string;
  options: OptionTableOf<Hyperparameters<C>>;
  defaults(continuous: boolean): DefaultsOf<Hyperparameters<C>>;
  resolve(config: C): Resolved<C>;
  train(config: C): Promise<TrainResult>;
  variant?(resolved: Resolved<C>): string;
}): Trainer {
  // Erased here once: a driver passes what the option table declares, and resolve checks it.
  return entry as unknown as Trainer;
}

/** The trainers `outerloop train <name>` runs. */
export const TRAINERS = {
  ppo: trainer<PpoConfig>({
    summary: 'PPO (Schulman et al. 2017) with a clip, dpo or mdpo objective; CleanRL defaults',
    options: PPO_OPTIONS,
    defaults: (continuous) => (continuous ? PPO_CONTINUOUS_DEFAULTS : PPO_DISCRETE_DEFAULTS),
    resolve: (c) => resolvePpoConfig(c, isContinuous(c.env)),
    train: ppo.train,
    variant: (c) => c.objective,
  }),
  a2c: trainer<A2cConfig>({
    summary: 'A2C (Mnih et al. 2016), synchronous; Stable-Baselines3 defaults',
    options: A2C_OPTIONS,
    defaults: () => A2C_DEFAULTS,
    resolve: resolveA2cConfig,
    train: a2c.train,
  }),
  trpo: trainer<trpo.TrpoConfig>({
    summary:
      'TRPO (Schulman et al. 2015): natural step by CG on exact Fisher products, max-KL line search; SB3 defaults',
    options: trpo.TRPO_OPTIONS,
    defaults: (continuous) => (continuous ? trpo.TRPO_CONTINUOUS_DEFAULTS : trpo.TRPO_DISCRETE_DEFAULTS),
    resolve: (c) => resolveTrpoConfig(c, isContinuous(c.env)),
    train: trpo.train,
  }),
  metagrad: METAGRAD_TRAINER,
} as const satisfies Record<string, Trainer>;

/** A trainer's name. */
export type TrainerName = keyof typeof TRAINERS;
