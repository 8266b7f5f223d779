// metaRl.maml's options, declared once (checks and CLI flags derive from the table). Every
// default is pytorch-maml-rl's configs/maml/2d-navigation.yaml (Finn et al. 2017's MAML-TRPO
// setting): 64-64 tanh Gaussian policy, 1 VPG inner step at lr 0.1 on 20 episodes per task,
// meta-batch 20, γ 0.99, GAE λ 1.0, linear baseline, max-KL 0.01, CG 10 iterations at damping
// 1e-5, 15 backtracking steps at 0.8. The PPO outer loop takes ProMP's (Rothfuss et al. 2019)
// defaults: 5 epochs, clip 0.3, Adam at 1e-3.
import type { ActivationName } from '../../nn/types.js';
import { checkKnownKeys } from '../../util/check.js';
import { checkOptions, type DefaultsOf, type OptionTableOf, option, withDefaults } from '../../util/options.js';
import { type MetaEnvOptions, metaEnvFacts } from './env.js';

/** The flat hyperparameters of metaRl.maml (the CLI's flags). */
export interface MamlHyperparameters {
  /** Hidden widths of the policy's MLP. */
  hidden?: number[];
  activation?: ActivationName;
  /** α, the inner VPG step size. */
  innerLr?: number;
  /** Inner VPG steps (each on fresh episodes of the adapted policy). */
  innerSteps?: number;
  episodesPerTask?: number;
  /** Tasks per meta-iteration. */
  metaBatch?: number;
  outer?: 'trpo' | 'ppo';
  baseline?: 'linear';
  gamma?: number;
  gaeLambda?: number;
  /** Drop the inner Hessian terms (FOMAML). */
  firstOrder?: boolean;
  maxKl?: number;
  cgIters?: number;
  cgDamping?: number;
  lineSearchSteps?: number;
  lineSearchRatio?: number;
  /** outer 'ppo': epochs of clipped-surrogate Adam steps per meta-iteration. */
  ppoEpochs?: number;
  /** outer 'ppo': ε of the ratio clip. */
  ppoClip?: number;
  /** outer 'ppo': Adam's learning rate. */
  ppoLr?: number;
}

/** What metaRl.maml takes: the env, its options, the policy and the hyperparameters. */
export interface MamlConfig extends Omit<MamlHyperparameters, 'hidden' | 'activation'> {
  /**
   * A meta-RL env id: box actions (Navigation2D-v0, PointRobot-v0, and the MuJoCo families
   * HalfCheetahVel-v0 / HalfCheetahDir-v0, which need the native MuJoCo engine; Gaussian policy)
   * or discrete (Bandit-v0, TabularMDP-v0; categorical policy).
   */
  env: string;
  /** Env options other than numEnvs and seed (e.g. { dense: true } for PointRobot-v0, { variant: 'pearl' } for HalfCheetahVel-v0). */
  envOptions?: MetaEnvOptions;
  policy?: { hidden?: readonly number[]; activation?: ActivationName };
}

const ACTIVATIONS = ['identity', 'tanh', 'relu', 'leaky-relu', 'gelu', 'sigmoid', 'softplus'] as const;

/** The option table of `metaRl.maml` (kind, range and help line of each hyperparameter). */
export const MAML_OPTIONS = {
  hidden: option.integers(1, 4096, 'hidden widths of the policy'),
  activation: option.oneOf(ACTIVATIONS, 'hidden activation of the policy'),
  innerLr: option.number(0, 1e6, 'inner VPG step size'),
  innerSteps: option.integer(0, 100, 'inner VPG steps (0: multi-task training, no adaptation)'),
  episodesPerTask: option.integer(1, 1 << 16, 'episodes per task and inner step'),
  metaBatch: option.integer(1, 1 << 16, 'tasks per meta-iteration'),
  outer: option.oneOf(['trpo', 'ppo'] as const, 'outer loop: MAML-TRPO or ProMP-style clipped PPO epochs'),
  baseline: option.oneOf(['linear'] as const, 'baseline of the advantages (linear feature baseline)'),
  gamma: option.number(0, 1, 'discount'),
  gaeLambda: option.number(0, 1, 'GAE λ'),
  firstOrder: option.boolean('first-order meta-gradient (no inner Hessian terms)'),
  maxKl: option.number(1e-12, 100, 'TRPO trust region on the mean KL of the adapted policies'),
  cgIters: option.integer(1, 10_000, 'conjugate-gradient iterations'),
  cgDamping: option.number(0, 1e9, 'damping added to the Fisher matrix'),
  lineSearchSteps: option.integer(1, 1000, 'backtracking line-search steps'),
  lineSearchRatio: option.number(1e-6, 0.999999, 'backtracking ratio'),
  ppoEpochs: option.integer(1, 10_000, 'outer PPO epochs per meta-iteration'),
  ppoClip: option.number(1e-6, 10, 'outer PPO ratio clip ε'),
  ppoLr: option.number(0, 10, 'outer PPO Adam learning rate'),
} as const satisfies OptionTableOf<MamlHyperparameters>;

/** pytorch-maml-rl's 2D-navigation settings: what `metaRl.maml` uses for every option not given. */
export const MAML_DEFAULTS = {
  hidden: [64, 64],
  activation: 'tanh',
  innerLr: 0.1,
  innerSteps: 1,
  episodesPerTask: 20,
  metaBatch: 20,
  outer: 'trpo',
  baseline: 'linear',
  gamma: 0.99,
  gaeLambda: 1,
  firstOrder: false,
  maxKl: 0.01,
  cgIters: 10,
  cgDamping: 1e-5,
  lineSearchSteps: 15,
  lineSearchRatio: 0.8,
  ppoEpochs: 5,
  ppoClip: 0.3,
  ppoLr: 1e-3,
} as const satisfies DefaultsOf<MamlHyperparameters>;

/** A checked config with every default filled in. */
export type ResolvedMaml = Required<MamlHyperparameters> & {
  env: string;
  envOptions: MetaEnvOptions;
};

/** Fills in the defaults and checks everything, the env included (a meta-RL env). */
export function resolveMamlConfig(config: MamlConfig, fn: string): ResolvedMaml {
  if (typeof config !== 'object' || config === null) throw new TypeError(`${fn}: expected a config object`);
  checkKnownKeys(config, ['env', 'envOptions', 'policy', ...Object.keys(MAML_OPTIONS)], fn);
  if (typeof config.env !== 'string') throw new TypeError(`${fn}: env: expected an env id such as 'Navigation2D-v0'`);
  const policy = config.policy ?? {};
  if (typeof policy !== 'object' || policy === null)
    throw new TypeError(`${fn}: policy: expected { hidden, activation }`);
  checkKnownKeys(policy, ['hidden', 'activation'], `${fn}: policy`);
  const { env, envOptions = {}, policy: _p, ...rest } = config;
  const c = withDefaults(MAML_DEFAULTS, {
    ...rest,
    hidden: policy.hidden ? [...policy.hidden] : undefined,
    activation: policy.activation,
  });
  checkOptions(MAML_OPTIONS, c, fn);
  if (typeof envOptions !== 'object' || envOptions === null)
    throw new TypeError(`${fn}: envOptions: expected an object`);
  if ('numEnvs' in envOptions || 'seed' in envOptions)
    throw new RangeError(
      `${fn}: envOptions: numEnvs and seed are set by metaRl.maml (metaBatch × episodesPerTask, seed)`,
    );
  let s: ReturnType<typeof metaEnvFacts>;
  try {
    s = metaEnvFacts(env, envOptions);
  } catch (e) {
    const E = e instanceof TypeError ? TypeError : RangeError;
    throw new E(`${fn}: env: ${(e as Error).message}`);
  }
  if (s.taskDim === 0)
    throw new RangeError(
      `${fn}: env: '${env}' has no task distribution; use a meta-RL env (Navigation2D-v0, PointRobot-v0, HalfCheetahVel-v0, HalfCheetahDir-v0, Bandit-v0, TabularMDP-v0)`,
    );
  if (s.actionType !== 'box' && s.actionType !== 'discrete')
    throw new RangeError(`${fn}: env: '${env}' needs box or discrete actions`);
  return { ...(c as Required<MamlHyperparameters>), env, envOptions };
}
