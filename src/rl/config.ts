// Training configurations and their defaults. PPO's defaults are CleanRL's: ppo.py for discrete
// actions (CartPole-v1: 4 envs × 128 steps, 4 minibatches, 4 epochs, lr 2.5e-4 annealed) and
// ppo_continuous_action.py for box actions (1 env × 2048 steps, 32 minibatches, 10 epochs,
// lr 3e-4, no entropy bonus, observation and reward normalization). A2C's are Stable-Baselines3's.
// A new trainer declares its config the same way (interface, option table, defaults) next to its
// loop and resolves it with resolveTrainConfig.

import type { MakeOptions, MujocoMakeOptions } from '../envs/index.js';
import type { Checkpoint } from '../io/checkpoint.js';
import { checkInteger, checkKnownKeys } from '../util/check.js';
import {
  checkOptions,
  type DefaultsOf,
  NO_MAX,
  type OptionTable,
  type OptionTableOf,
  option,
  withDefaults,
} from '../util/options.js';
import type { Policy } from './policy.js';

/**
 * The policy objective PPO optimizes. 'lpo' (a learned drift) is named only in saved runs: pass it as
 * `objective: { drift, net }` (learned.LpoObjective; rl.ppo.train takes it).
 */
export type PolicyObjective = 'clip' | 'dpo' | 'mdpo' | 'lpo';

/** Per-update statistics passed to `onUpdate` and recorded in `history`. */
export interface UpdateStats {
  /** 1-based update (iteration) index. */
  update: number;
  /** Environment steps taken so far (all envs). */
  steps: number;
  /** Seconds since training started. */
  seconds: number;
  /** Mean return of the last 100 finished episodes (NaN before the first one ends). */
  meanReturn: number;
  /** Mean length of the last 100 finished episodes. */
  meanLength: number;
  /** Episodes finished so far. */
  episodes: number;
  /** Learning rate used in this update. */
  lr: number;
  /** Means over the update's minibatches. */
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
  /** Exact KL(π‖π_old) (MDPO) or 0. */
  klToOld: number;
  /** Global gradient norm before clipping, mean over minibatches. */
  gradNorm: number;
  /** 1 − Var(returns − values)/Var(returns) over the rollout. */
  explainedVariance: number;
}

/**
 * The run being trained, as `onUpdate` sees it: saves a checkpoint that `resume` continues from
 * exactly (the policy plus the training state as of the end of the update just reported).
 */
export interface TrainingRun {
  /** Updates done so far, counting those of the run it resumed. */
  readonly update: number;
  /**
   * The policy and the training state (update index, optimizer, env, collector, normalizers,
   * elapsed steps and seconds) as fresh copies. A 'rl.policy' checkpoint: `Policy.fromCheckpoint`
   * reads it too.
   */
  checkpoint(): Checkpoint;
  /** Writes `checkpoint()` to `path` atomically (the state is taken when called). */
  save(path: string): Promise<void>;
  /** Synchronous `save`, for exit paths that cannot await. */
  saveSync(path: string): void;
}

/** Options every on-policy trainer shares. */
export interface CommonTrainConfig {
  /**
   * Environment id: a kernel env of `envs.list()` (stepped in the rollout kernel) or a MuJoCo env
   * of `envs.MUJOCO_ENV_IDS` (stepped from TypeScript, one batched policy forward per step).
   */
  env: string;
  /**
   * Options of the env itself, passed to `envs.make` (e.g. `{ dense: true }` for PointRobot-v0,
   * `{ arms: 2, pulls: 20 }` for Bandit-v0) or `envs.makeMujoco` (e.g. `{ maxEpisodeSteps: 200 }`);
   * numEnvs and seed come from the config. Saved with the run and compared on resume.
   */
  envOptions?: EnvOptions;
  /** Environment steps to train for (all envs together). */
  totalSteps?: number;
  seed?: number;
  numEnvs?: number;
  /** Steps per env per rollout. */
  numSteps?: number;
  lr?: number;
  /** Linearly anneal the learning rate to 0 over training. */
  annealLr?: boolean;
  gamma?: number;
  gaeLambda?: number;
  entCoef?: number;
  vfCoef?: number;
  /** Global gradient-norm clip (0 disables). */
  maxGradNorm?: number;
  /** Hidden layer widths of the actor and critic MLPs. */
  hidden?: number[];
  activation?: 'tanh' | 'relu';
  /** One network with a policy head and a value head, or two separate ones. */
  network?: 'separate' | 'shared';
  /** Normalize advantages per minibatch. */
  normAdv?: boolean;
  /** Running observation normalization (saved with the policy), clipped to ±clipObs. */
  normalizeObs?: boolean;
  /** Scale rewards by the running std of the discounted return, clipped to ±clipReward. */
  normalizeReward?: boolean;
  clipObs?: number;
  clipReward?: number;
  /**
   * Called after every update with its statistics, the policy being trained (live, not a copy)
   * and the run (`run.save(path)` writes a checkpoint that `resume` continues from).
   */
  onUpdate?: (stats: UpdateStats, policy: Policy, run: TrainingRun) => void;
  /** Stops training after the current update; the policy trained so far is returned. */
  signal?: AbortSignal;
  /**
   * Continues a run from a checkpoint that holds its training state (`run.save` in `onUpdate`,
   * `result.save`, or the CLI's run folder): a path, or the checkpoint itself (not modified).
   * The run goes on bit-identically to one that was never stopped: same parameters, statistics
   * and random streams. Options left out are taken from the saved run, not from the defaults;
   * options given must equal the saved ones (a RangeError names the first that differs), except
   * `totalSteps`, which may change only when no schedule depends on it (`annealLr` off and an
   * objective other than 'mdpo'); `onUpdate` and `signal` are free. A policy-only checkpoint
   * (`policy.save`) cannot be resumed: it lacks the optimizer and environment state.
   */
  resume?: string | Checkpoint;
}

export interface PpoConfig extends CommonTrainConfig {
  objective?: PolicyObjective;
  numMinibatches?: number;
  updateEpochs?: number;
  /** Ratio clip ε of the clipped objective (and of the value clip). */
  clipCoef?: number;
  /** PPO-style clipped value loss. */
  clipVloss?: boolean;
  /** Adam's ε (CleanRL uses 1e-5). */
  adamEps?: number;
  /** Stop an update's epochs early once the approximate KL exceeds this (null: never). */
  targetKl?: number | null;
  /** DPO drift parameters (Lu et al. 2022). */
  dpoAlpha?: number;
  dpoBeta?: number;
  /**
   * A recurrent policy instead of the MLPs (issue 15): a GRU or LSTM over the (normalized) observations
   * with linear policy and value heads on its state, hidden state carried through the rollout and
   * reset at episode ends, minibatches of whole per-env segments and BPTT in the update.
   */
  recurrent?: RecurrentOptions;
}

/** PPO's recurrent policy: the cell, its width and the length of the training segments. */
export interface RecurrentOptions {
  /** The recurrent cell: 'gru' or 'lstm' (nn.lstm; carries h and c through the rollout). */
  cell: 'gru' | 'lstm';
  /** Hidden units of the cell. */
  hidden: number;
  /**
   * Steps per training segment (BPTT length), dividing numSteps (default numSteps: each env's
   * whole rollout is one segment, as CleanRL's ppo_atari_lstm). Segments start from the hidden
   * state stored at collection time.
   */
  seqLen?: number;
  /**
   * Widths of a tanh MLP encoder between the observations and the cell (default [64]; [] feeds the
   * observations to the cell directly).
   */
  encoder?: number[];
}

export interface A2cConfig extends CommonTrainConfig {
  /** RMSprop's decay α and ε (SB3: 0.99, 1e-5). */
  rmsDecay?: number;
  rmsEps?: number;
}

/** Env options as `rl` trainers take them: those of `envs.make` or `envs.makeMujoco` but numEnvs and seed. */
export type EnvOptions = Omit<MakeOptions, 'numEnvs' | 'seed'> & Omit<MujocoMakeOptions, 'numEnvs' | 'seed'>;

/** Options of a run that are not hyperparameters: never saved with the run, never compared on resume. */
export const RUNTIME_KEYS = ['onUpdate', 'signal', 'resume'] as const;
type RuntimeKey = (typeof RUNTIME_KEYS)[number];

/**
 * Options that are objects rather than flags (the env's options, PPO's recurrent policy): saved
 * with the run and compared on resume, checked by the trainer itself, optional once resolved.
 */
export const STRUCTURED_KEYS = ['envOptions', 'recurrent'] as const;
type StructuredKey = (typeof STRUCTURED_KEYS)[number];

/** A resolved configuration: every option filled in. */
export type Resolved<T> = Required<Omit<T, RuntimeKey | StructuredKey>> &
  Pick<CommonTrainConfig, RuntimeKey> &
  Partial<Pick<T, Extract<keyof T, StructuredKey>>>;

/** The hyperparameters of a trainer's config: everything but the env, its options and the runtime options. */
export type Hyperparameters<C> = Omit<C, 'env' | RuntimeKey | StructuredKey>;

// Each hyperparameter once: its check and its CLI flag (kebab-case of the key) come from these
// tables; the compiler holds the tables and the defaults below to the config interfaces.

/** The hyperparameters every on-policy trainer shares; a trainer's table spreads them. */
export const COMMON_TRAIN_OPTIONS = {
  totalSteps: option.integer(1, NO_MAX, 'environment steps in total'),
  seed: option.integer(0, NO_MAX, 'random seed'),
  numEnvs: option.integer(1, 1 << 20, 'parallel environments'),
  numSteps: option.integer(1, 1 << 20, 'steps per env per rollout'),
  lr: option.number(0, 10, 'learning rate'),
  annealLr: option.boolean('anneal the learning rate linearly to 0'),
  gamma: option.number(0, 1, 'discount'),
  gaeLambda: option.number(0, 1, 'GAE lambda'),
  entCoef: option.number(-10, 10, 'entropy bonus coefficient'),
  vfCoef: option.number(0, 100, 'value loss coefficient'),
  maxGradNorm: option.number(0, 1e9, 'global gradient-norm clip (0: off)'),
  hidden: option.integers(1, 1 << 16, 'hidden layer widths, e.g. 64,64'),
  activation: option.oneOf(['tanh', 'relu'], 'hidden activation'),
  network: option.oneOf(['separate', 'shared'], 'actor and critic networks'),
  normAdv: option.boolean('normalize advantages per minibatch'),
  normalizeObs: option.boolean('running observation normalization'),
  normalizeReward: option.boolean('scale rewards by the running return std'),
  clipObs: option.number(0, 1e9, 'clip normalized observations to +-x'),
  clipReward: option.number(0, 1e9, 'clip normalized rewards to +-x'),
} as const satisfies OptionTableOf<Hyperparameters<CommonTrainConfig>>;

/** PPO's hyperparameters (checks, CLI flags). */
export const PPO_OPTIONS = {
  ...COMMON_TRAIN_OPTIONS,
  objective: option.oneOf(['clip', 'dpo', 'mdpo', 'lpo'], 'policy objective'),
  numMinibatches: option.integer(1, NO_MAX, 'minibatches per epoch'),
  updateEpochs: option.integer(1, 10_000, 'epochs per update'),
  clipCoef: option.number(0, 10, 'ratio (and value) clip'),
  clipVloss: option.boolean('clipped value loss'),
  adamEps: option.number(0, 1, "Adam's epsilon"),
  targetKl: option.numberOrNull(0, 1e9, 'stop epochs early above this approximate KL (none: never)'),
  dpoAlpha: option.number(1e-9, 1e9, 'DPO drift alpha'),
  dpoBeta: option.number(1e-9, 1e9, 'DPO drift beta'),
} as const satisfies OptionTableOf<Hyperparameters<PpoConfig>>;

/** A2C's hyperparameters (checks, CLI flags). */
export const A2C_OPTIONS = {
  ...COMMON_TRAIN_OPTIONS,
  rmsDecay: option.number(0, 1, "RMSprop's decay"),
  rmsEps: option.number(0, 1, "RMSprop's epsilon"),
} as const satisfies OptionTableOf<Hyperparameters<A2cConfig>>;

/** Every key a trainer's config takes, given its hyperparameter table. */
export const configKeys = (options: OptionTable): readonly string[] => [
  'env',
  ...Object.keys(options),
  ...RUNTIME_KEYS,
];

export const PPO_KEYS = configKeys(PPO_OPTIONS);
export const A2C_KEYS = configKeys(A2C_OPTIONS);

/** CleanRL ppo.py (discrete actions). */
export const PPO_DISCRETE_DEFAULTS = {
  totalSteps: 500_000,
  seed: 1,
  numEnvs: 4,
  numSteps: 128,
  lr: 2.5e-4,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  hidden: [64, 64],
  activation: 'tanh',
  network: 'separate',
  normAdv: true,
  normalizeObs: false,
  normalizeReward: false,
  clipObs: 10,
  clipReward: 10,
  objective: 'clip',
  numMinibatches: 4,
  updateEpochs: 4,
  clipCoef: 0.2,
  clipVloss: true,
  adamEps: 1e-5,
  targetKl: null,
  dpoAlpha: 2,
  dpoBeta: 0.6,
} as const satisfies DefaultsOf<Hyperparameters<PpoConfig>>;

/** CleanRL ppo_continuous_action.py (box actions). */
export const PPO_CONTINUOUS_DEFAULTS = {
  ...PPO_DISCRETE_DEFAULTS,
  totalSteps: 1_000_000,
  numEnvs: 1,
  numSteps: 2048,
  lr: 3e-4,
  entCoef: 0,
  numMinibatches: 32,
  updateEpochs: 10,
  normalizeObs: true,
  normalizeReward: true,
} as const satisfies DefaultsOf<Hyperparameters<PpoConfig>>;

/** Stable-Baselines3 A2C (RMSprop, 5-step rollouts, no GAE smoothing). */
export const A2C_DEFAULTS = {
  totalSteps: 500_000,
  seed: 1,
  numEnvs: 8,
  numSteps: 5,
  lr: 7e-4,
  annealLr: false,
  gamma: 0.99,
  gaeLambda: 1,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  hidden: [64, 64],
  activation: 'tanh',
  network: 'separate',
  normAdv: false,
  normalizeObs: false,
  normalizeReward: false,
  clipObs: 10,
  clipReward: 10,
  rmsDecay: 0.99,
  rmsEps: 1e-5,
} as const satisfies DefaultsOf<Hyperparameters<A2cConfig>>;

/**
 * Fills in `defaults` under `config` and checks every hyperparameter against `options`, the env id
 * and the runtime options: the resolution every trainer shares (a new trainer calls it with its
 * own table and defaults, then checks what spans several options). `structured` lists the object
 * options (STRUCTURED_KEYS) the trainer takes besides its table.
 */
export function resolveTrainConfig<C extends CommonTrainConfig>(
  options: OptionTable,
  defaults: object,
  config: C,
  fn: string,
  structured: readonly StructuredKey[] = ['envOptions'],
): Resolved<C> {
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  checkKnownKeys(config, [...configKeys(options), ...structured], fn);
  const c = withDefaults(defaults, config) as unknown as Resolved<C>;
  if (typeof c.env !== 'string') throw new TypeError(`${fn}: env: expected an environment id string`);
  checkOptions(options, c, fn);
  if (c.onUpdate !== undefined && typeof c.onUpdate !== 'function')
    throw new TypeError(`${fn}: onUpdate: expected a function`);
  if (c.signal !== undefined && !(c.signal instanceof AbortSignal))
    throw new TypeError(`${fn}: signal: expected an AbortSignal`);
  if (c.resume !== undefined && typeof c.resume !== 'string' && (typeof c.resume !== 'object' || c.resume === null))
    throw new TypeError(`${fn}: resume: expected a checkpoint path or a loaded checkpoint`);
  if (c.envOptions !== undefined) {
    const o = c.envOptions as unknown;
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      throw new TypeError(`${fn}: envOptions: expected an object of env options`);
    for (const k of ['numEnvs', 'seed'])
      if (k in o) throw new RangeError(`${fn}: envOptions.${k}: set ${k} in the config itself, not in envOptions`);
  }
  return c;
}

/** Fills in PPO defaults (discrete or continuous per the env's action space) and checks ranges. */
export function resolvePpoConfig(config: PpoConfig, continuous: boolean): Resolved<PpoConfig> {
  const defaults = continuous ? PPO_CONTINUOUS_DEFAULTS : PPO_DISCRETE_DEFAULTS;
  const c = resolveTrainConfig(PPO_OPTIONS, defaults, config, 'rl.ppo.train', ['envOptions', 'recurrent']);
  checkInteger(c.numMinibatches, 'rl.ppo.train: numMinibatches', 1, c.numEnvs * c.numSteps);
  if (c.recurrent !== undefined) checkRecurrent(c);
  return c;
}

/** Checks PPO's `recurrent` option against the rest of the config. */
function checkRecurrent(c: Resolved<PpoConfig>): void {
  const fn = 'rl.ppo.train: recurrent';
  const r = c.recurrent as unknown;
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    throw new TypeError(`${fn}: expected { cell: 'gru' | 'lstm', hidden, seqLen? }`);
  checkKnownKeys(r, ['cell', 'hidden', 'seqLen', 'encoder'], fn);
  const o = r as RecurrentOptions;
  if (o.cell !== 'gru' && o.cell !== 'lstm')
    throw new RangeError(`${fn}.cell: expected 'gru' or 'lstm', got ${String(o.cell)}`);
  checkInteger(o.hidden, `${fn}.hidden`, 1, 4096);
  if (o.encoder !== undefined) {
    if (!Array.isArray(o.encoder)) throw new TypeError(`${fn}.encoder: expected an array of layer widths`);
    for (const w of o.encoder) checkInteger(w, `${fn}.encoder`, 1, 1 << 16);
  }
  const seqLen = o.seqLen ?? c.numSteps;
  checkInteger(seqLen, `${fn}.seqLen`, 1, c.numSteps);
  if (c.numSteps % seqLen !== 0) throw new RangeError(`${fn}.seqLen: ${seqLen} does not divide numSteps ${c.numSteps}`);
  const segments = (c.numEnvs * c.numSteps) / seqLen;
  if (c.numMinibatches > segments)
    throw new RangeError(
      `rl.ppo.train: numMinibatches ${c.numMinibatches} exceeds the ${segments} segments of a recurrent rollout ` +
        '(numEnvs × numSteps / seqLen): minibatches hold whole segments',
    );
  if (c.objective === 'lpo')
    throw new RangeError(`${fn}: the 'lpo' objective is not available with a recurrent policy yet`);
}

/** Fills in A2C defaults and checks ranges. */
export function resolveA2cConfig(config: A2cConfig): Resolved<A2cConfig> {
  return resolveTrainConfig(A2C_OPTIONS, A2C_DEFAULTS, config, 'rl.a2c.train');
}
