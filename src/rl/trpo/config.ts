// TRPO's configuration: the trust region (maxKl), the conjugate-gradient solve (cgIters,
// cgDamping), the backtracking line search and the value-function regression, beside the options
// every on-policy trainer shares. Defaults follow Stable-Baselines3-contrib's TRPO (δ 0.01,
// CG 10 iterations at damping 0.1, 10 backtracks × 0.8, 2048-step batches, GAE λ 0.95,
// normalized advantages, critic fitted by 10 epochs of Adam at 1e-3 on minibatches of 128), with
// CleanRL's networks (64-64 tanh, separate actor and critic, orthogonal init) and, for box actions,
// PPO's observation and reward normalization.
import { checkInteger } from '../../util/check.js';
import { type DefaultsOf, NO_MAX, type OptionTableOf, option } from '../../util/options.js';
import {
  COMMON_TRAIN_OPTIONS,
  type CommonTrainConfig,
  configKeys,
  type Hyperparameters,
  PPO_OPTIONS,
  type Resolved,
  resolveTrainConfig,
} from '../config.js';

export interface TrpoConfig extends CommonTrainConfig {
  /** δ: the bound on the mean KL(π_old‖π_new) over the batch's states. */
  maxKl?: number;
  /** Conjugate-gradient iterations for the natural step. */
  cgIters?: number;
  /** λ added to the Fisher matrix (F + λI) in the solve. */
  cgDamping?: number;
  /** Step fractions the line search tries (1, ratio, ratio², …). */
  lineSearchSteps?: number;
  /** The line search's backtracking ratio, in (0, 1). */
  lineSearchRatio?: number;
  /** Epochs of minibatch Adam on the value regression per update (lr, adamEps, maxGradNorm apply). */
  vfEpochs?: number;
  /** Minibatches per value-regression epoch. */
  vfMinibatches?: number;
  /** Adam's ε for the value regression. */
  adamEps?: number;
}

/** TRPO's hyperparameters (checks, CLI flags). `lr` and `vfCoef` are the value regression's. */
export const TRPO_OPTIONS = {
  ...COMMON_TRAIN_OPTIONS,
  maxKl: option.number(1e-12, 100, 'trust region: bound on the mean KL between old and new policy'),
  cgIters: option.integer(1, 100_000, 'conjugate-gradient iterations of the natural step'),
  cgDamping: option.number(0, 1e9, 'damping added to the Fisher matrix in the CG solve'),
  lineSearchSteps: option.integer(1, 1000, 'step fractions the backtracking line search tries'),
  lineSearchRatio: option.number(1e-6, 0.999999, 'backtracking ratio of the line search'),
  vfEpochs: option.integer(1, 10_000, 'value-function regression epochs per update'),
  vfMinibatches: option.integer(1, NO_MAX, 'minibatches per value-regression epoch'),
  adamEps: PPO_OPTIONS.adamEps,
} as const satisfies OptionTableOf<Hyperparameters<TrpoConfig>>;

export const TRPO_KEYS = configKeys(TRPO_OPTIONS);

/** TRPO for discrete actions (CartPole-v1 and the like). */
export const TRPO_DISCRETE_DEFAULTS = {
  totalSteps: 500_000,
  seed: 1,
  numEnvs: 8,
  numSteps: 256,
  lr: 1e-3,
  annealLr: false,
  gamma: 0.99,
  gaeLambda: 0.95,
  entCoef: 0,
  vfCoef: 1,
  maxGradNorm: 0,
  hidden: [64, 64],
  activation: 'tanh',
  network: 'separate',
  normAdv: true,
  normalizeObs: false,
  normalizeReward: false,
  clipObs: 10,
  clipReward: 10,
  maxKl: 0.01,
  cgIters: 10,
  cgDamping: 0.1,
  lineSearchSteps: 10,
  lineSearchRatio: 0.8,
  vfEpochs: 10,
  vfMinibatches: 16,
  adamEps: 1e-8,
} as const satisfies DefaultsOf<Hyperparameters<TrpoConfig>>;

/** TRPO for box actions: 1M steps, observation and reward normalization. */
export const TRPO_CONTINUOUS_DEFAULTS = {
  ...TRPO_DISCRETE_DEFAULTS,
  totalSteps: 1_000_000,
  normalizeObs: true,
  normalizeReward: true,
} as const satisfies DefaultsOf<Hyperparameters<TrpoConfig>>;

/** Fills in TRPO's defaults (discrete or continuous) and checks every option. */
export function resolveTrpoConfig(config: TrpoConfig, continuous: boolean): Resolved<TrpoConfig> {
  const fn = 'rl.trpo.train';
  const c = resolveTrainConfig(
    TRPO_OPTIONS,
    continuous ? TRPO_CONTINUOUS_DEFAULTS : TRPO_DISCRETE_DEFAULTS,
    config,
    fn,
  );
  if (c.network !== 'separate')
    throw new RangeError(`${fn}: network: TRPO fits the value function apart from the policy, use 'separate'`);
  checkInteger(c.vfMinibatches, `${fn}: vfMinibatches`, 1, c.numEnvs * c.numSteps);
  return c;
}
