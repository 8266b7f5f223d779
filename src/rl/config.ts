// Training configurations and their defaults. PPO's defaults are CleanRL's: ppo.py for discrete
// actions (CartPole-v1: 4 envs × 128 steps, 4 minibatches, 4 epochs, lr 2.5e-4 annealed) and
// ppo_continuous_action.py for box actions (1 env × 2048 steps, 32 minibatches, 10 epochs,
// lr 3e-4, no entropy bonus, observation and reward normalization). A2C's are Stable-Baselines3's.

import type { Checkpoint } from '../io/checkpoint.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import type { Policy } from './policy.js';

/** The policy objective PPO optimizes. */
export type PolicyObjective = 'clip' | 'dpo' | 'mdpo';

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
  /** Environment id (see `envs.list()`). */
  env: string;
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
}

export interface A2cConfig extends CommonTrainConfig {
  /** RMSprop's decay α and ε (SB3: 0.99, 1e-5). */
  rmsDecay?: number;
  rmsEps?: number;
}

/** A resolved configuration: every option filled in. */
export type Resolved<T> = Required<Omit<T, 'onUpdate' | 'signal' | 'resume'>> &
  Pick<CommonTrainConfig, 'onUpdate' | 'signal' | 'resume'>;

const COMMON_KEYS = [
  'env',
  'totalSteps',
  'seed',
  'numEnvs',
  'numSteps',
  'lr',
  'annealLr',
  'gamma',
  'gaeLambda',
  'entCoef',
  'vfCoef',
  'maxGradNorm',
  'hidden',
  'activation',
  'network',
  'normAdv',
  'normalizeObs',
  'normalizeReward',
  'clipObs',
  'clipReward',
  'onUpdate',
  'signal',
  'resume',
] as const;
export const PPO_KEYS = [
  ...COMMON_KEYS,
  'objective',
  'numMinibatches',
  'updateEpochs',
  'clipCoef',
  'clipVloss',
  'adamEps',
  'targetKl',
  'dpoAlpha',
  'dpoBeta',
] as const;
export const A2C_KEYS = [...COMMON_KEYS, 'rmsDecay', 'rmsEps'] as const;

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
} as const;

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
} as const;

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
} as const;

function checkCommon(c: Resolved<CommonTrainConfig>, fn: string): void {
  if (typeof c.env !== 'string') throw new TypeError(`${fn}: env: expected an environment id string`);
  checkInteger(c.totalSteps, `${fn}: totalSteps`, 1);
  checkInteger(c.seed, `${fn}: seed`, 0);
  checkInteger(c.numEnvs, `${fn}: numEnvs`, 1, 1 << 20);
  checkInteger(c.numSteps, `${fn}: numSteps`, 1, 1 << 20);
  checkRange(c.lr, `${fn}: lr`, 0, 10);
  checkRange(c.gamma, `${fn}: gamma`, 0, 1);
  checkRange(c.gaeLambda, `${fn}: gaeLambda`, 0, 1);
  checkRange(c.entCoef, `${fn}: entCoef`, -10, 10);
  checkRange(c.vfCoef, `${fn}: vfCoef`, 0, 100);
  checkRange(c.maxGradNorm, `${fn}: maxGradNorm`, 0, 1e9);
  checkRange(c.clipObs, `${fn}: clipObs`, 0, 1e9);
  checkRange(c.clipReward, `${fn}: clipReward`, 0, 1e9);
  if (!Array.isArray(c.hidden) || c.hidden.length === 0)
    throw new TypeError(`${fn}: hidden: expected a non-empty array of layer widths`);
  for (const h of c.hidden) checkInteger(h, `${fn}: hidden`, 1, 1 << 16);
  if (c.activation !== 'tanh' && c.activation !== 'relu')
    throw new RangeError(`${fn}: activation: expected 'tanh' or 'relu', got '${String(c.activation)}'`);
  if (c.network !== 'separate' && c.network !== 'shared')
    throw new RangeError(`${fn}: network: expected 'separate' or 'shared', got '${String(c.network)}'`);
  for (const flag of ['annealLr', 'normAdv', 'normalizeObs', 'normalizeReward'] as const)
    checkBoolean(c[flag], `${fn}: ${flag}`);
  if (c.onUpdate !== undefined && typeof c.onUpdate !== 'function')
    throw new TypeError(`${fn}: onUpdate: expected a function`);
  if (c.signal !== undefined && !(c.signal instanceof AbortSignal))
    throw new TypeError(`${fn}: signal: expected an AbortSignal`);
  if (c.resume !== undefined && typeof c.resume !== 'string' && (typeof c.resume !== 'object' || c.resume === null))
    throw new TypeError(`${fn}: resume: expected a checkpoint path or a loaded checkpoint`);
}

/** Fills in PPO defaults (discrete or continuous per the env's action space) and checks ranges. */
export function resolvePpoConfig(config: PpoConfig, continuous: boolean): Resolved<PpoConfig> {
  if (typeof config !== 'object' || config === null) throw new TypeError('rl.ppo.train: expected a config object');
  checkKnownKeys(config, PPO_KEYS, 'rl.ppo.train');
  const defaults = continuous ? PPO_CONTINUOUS_DEFAULTS : PPO_DISCRETE_DEFAULTS;
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const c = { ...defaults, hidden: [...defaults.hidden], ...defined } as Resolved<PpoConfig>;
  checkCommon(c, 'rl.ppo.train');
  if (c.objective !== 'clip' && c.objective !== 'dpo' && c.objective !== 'mdpo')
    throw new RangeError(`rl.ppo.train: objective: expected 'clip', 'dpo' or 'mdpo', got '${String(c.objective)}'`);
  checkInteger(c.numMinibatches, 'rl.ppo.train: numMinibatches', 1, c.numEnvs * c.numSteps);
  checkInteger(c.updateEpochs, 'rl.ppo.train: updateEpochs', 1, 10_000);
  checkRange(c.clipCoef, 'rl.ppo.train: clipCoef', 0, 10);
  checkBoolean(c.clipVloss, 'rl.ppo.train: clipVloss');
  checkRange(c.adamEps, 'rl.ppo.train: adamEps', 0, 1);
  checkRange(c.dpoAlpha, 'rl.ppo.train: dpoAlpha', 1e-9, 1e9);
  checkRange(c.dpoBeta, 'rl.ppo.train: dpoBeta', 1e-9, 1e9);
  if (c.targetKl !== null) checkRange(c.targetKl, 'rl.ppo.train: targetKl', 0, 1e9);
  return c;
}

/** Fills in A2C defaults and checks ranges. */
export function resolveA2cConfig(config: A2cConfig): Resolved<A2cConfig> {
  if (typeof config !== 'object' || config === null) throw new TypeError('rl.a2c.train: expected a config object');
  checkKnownKeys(config, A2C_KEYS, 'rl.a2c.train');
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const c = { ...A2C_DEFAULTS, hidden: [...A2C_DEFAULTS.hidden], ...defined } as Resolved<A2cConfig>;
  checkCommon(c, 'rl.a2c.train');
  checkRange(c.rmsDecay, 'rl.a2c.train: rmsDecay', 0, 1);
  checkRange(c.rmsEps, 'rl.a2c.train: rmsEps', 0, 1);
  return c;
}
