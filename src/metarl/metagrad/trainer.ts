// `outerloop train metagrad`: the meta-gradient agent (metaRl.metaGradient) behind the trainer
// registry's contract (rl/trainers.ts), so the CLI's flags, help, run folder, progress bar and
// Ctrl-C come for free. The η values a run starts from are the shared hyperparameters with the
// same meaning (--gamma, --gae-lambda, --ent-coef, --vf-coef, --lr); `--meta` names those it
// learns. Its metrics rows carry the η values under those flag names, plotted by `charts`.
// The checkpoint holds the policy alone (kind 'rl.policy', evaluates with `outerloop eval`): the
// online agent's state (the pending rollout, RMSProp and Adam statistics) is not saved, so a run
// cannot be resumed and `--resume` says so.
import { OuterloopError } from '../../errors.js';
import { type Checkpoint, saveCheckpoint, saveCheckpointSync } from '../../io/checkpoint.js';
import { COMMON_TRAIN_OPTIONS, type UpdateStats } from '../../rl/config.js';
import type { Policy } from '../../rl/policy.js';
import type { TrainResult } from '../../rl/ppo.js';
import type { ResolvedTrainerConfig, Trainer, TrainerConfig } from '../../rl/trainers.js';
import { checkKnownKeys } from '../../util/check.js';
import { checkOptions, type DefaultsOf, type OptionTableOf, option, withDefaults } from '../../util/options.js';
import { type MetaGradientOptions, type MetaGradientStats, metaGradient } from './agent.js';
import { type Hyper, META_NAMES, type MetaName, MetaSpace } from './meta_params.js';

/** The config of `outerloop train metagrad` (the registry's view of {@link metaGradient}). */
export interface MetagradTrainConfig {
  /** Environment id (discrete actions). */
  env: string;
  /** Environment steps to train for (whole rollouts). */
  totalSteps?: number;
  /** Seed of the network init, the envs and the sampling. */
  seed?: number;
  /** Envs stepped together. */
  numEnvs?: number;
  /** Steps per rollout (one inner update each). */
  numSteps?: number;
  /** Hidden widths of actor and critic. */
  hidden?: number[];
  /** The meta-parameters to learn (gamma, lambda, entropy, value, lr). */
  meta?: MetaName[];
  /** Initial (or fixed) γ. */
  gamma?: number;
  /** Initial (or fixed) λ. */
  gaeLambda?: number;
  /** Initial (or fixed) entropy cost. */
  entCoef?: number;
  /** Initial (or fixed) value-loss cost. */
  vfCoef?: number;
  /** Initial (or fixed) inner learning rate. */
  lr?: number;
  /** Adam step size on the raw meta-parameters. */
  metaLr?: number;
  /** Inner updates L differentiated per meta-update. */
  innerSteps?: number;
  /** The outer objective's reference γ̄. */
  refGamma?: number;
  /** The outer objective's reference λ̄. */
  refLambda?: number;
  /** Bootstrapped meta-gradients: 'off', or the matching function 'kl' / 'l2'. */
  bmg?: 'off' | 'kl' | 'l2';
  /** BMG's extra target updates K. */
  bmgSteps?: number;
  /** Called after every meta-update (the CLI writes metrics and checkpoints here). */
  onUpdate?: (stats: UpdateStats, policy: Policy, run: MetagradRun) => void;
  /** Stops training after the current meta-update. */
  signal?: AbortSignal;
  /** Refused: metagrad runs cannot be resumed. */
  resume?: string | Checkpoint;
}

/** What `onUpdate` can save: the policy as of the update (no training state). */
export interface MetagradRun {
  /** The meta-update just reported (from 1). */
  readonly update: number;
  /** The policy checkpoint as of this update (kind 'rl.policy', marked as holding no training state). */
  checkpoint(): Checkpoint;
  /** Writes `checkpoint()` to `path` atomically. */
  save(path: string): Promise<void>;
  /** Synchronous `save`. */
  saveSync(path: string): void;
}

type Hyperparameters = Omit<MetagradTrainConfig, 'env' | 'onUpdate' | 'signal' | 'resume'>;

/** The flag name of each meta-parameter's initial value. */
const FLAG_OF: Record<MetaName, keyof Hyperparameters> = {
  gamma: 'gamma',
  lambda: 'gaeLambda',
  entropy: 'entCoef',
  value: 'vfCoef',
  lr: 'lr',
};

/** The hyperparameters of `train metagrad` (checks, CLI flags); shared names keep their shared spec. */
export const METAGRAD_OPTIONS = {
  totalSteps: COMMON_TRAIN_OPTIONS.totalSteps,
  seed: COMMON_TRAIN_OPTIONS.seed,
  numEnvs: COMMON_TRAIN_OPTIONS.numEnvs,
  numSteps: COMMON_TRAIN_OPTIONS.numSteps,
  hidden: COMMON_TRAIN_OPTIONS.hidden,
  meta: option.names(
    META_NAMES,
    'meta-parameters learned by meta-gradients, e.g. gamma,lambda (gamma: --gamma, lambda: --gae-lambda, ' +
      'entropy: --ent-coef, value: --vf-coef, lr: --lr give their initial values)',
  ),
  gamma: COMMON_TRAIN_OPTIONS.gamma,
  gaeLambda: COMMON_TRAIN_OPTIONS.gaeLambda,
  entCoef: COMMON_TRAIN_OPTIONS.entCoef,
  vfCoef: COMMON_TRAIN_OPTIONS.vfCoef,
  lr: COMMON_TRAIN_OPTIONS.lr,
  metaLr: option.number(0, 10, "meta-parameters' Adam step size (0: fixed meta-parameters)"),
  innerSteps: option.integer(1, 64, 'inner updates differentiated per meta-update (L)'),
  refGamma: option.number(0, 1, "outer objective's reference discount"),
  refLambda: option.number(0, 1, "outer objective's reference lambda"),
  bmg: option.oneOf(['off', 'kl', 'l2'], 'bootstrapped meta-gradients: off, or the matching function'),
  bmgSteps: option.integer(0, 64, "BMG's extra target updates K"),
} as const satisfies OptionTableOf<Hyperparameters>;

/**
 * The defaults: the agent's (A2C, 16 envs × 10 steps, one 64-unit layer, RMSProp 3e-3; γ 0.99,
 * λ 0.95, entropy 0.01, value 0.5; reference γ̄ 0.99, λ̄ 1, Xu et al.), learning γ and λ with
 * meta Adam 0.01 as in examples/metagrad_gamma_lambda.ts.
 */
export const METAGRAD_DEFAULTS: DefaultsOf<Hyperparameters> = {
  totalSteps: 100_000,
  seed: 1,
  numEnvs: 16,
  numSteps: 10,
  hidden: [64],
  meta: ['gamma', 'lambda'],
  gamma: 0.99,
  gaeLambda: 0.95,
  entCoef: 0.01,
  vfCoef: 0.5,
  lr: 3e-3,
  metaLr: 0.01,
  innerSteps: 1,
  refGamma: 0.99,
  refLambda: 1,
  bmg: 'off',
  bmgSteps: 1,
};

const FN = 'metaRl.metaGradient (train metagrad)';
type ResolvedMetagrad = Required<Omit<MetagradTrainConfig, 'onUpdate' | 'signal' | 'resume'>>;

/** Fills in the defaults and checks every value (the env's action space is checked when training starts). */
function resolve(config: MetagradTrainConfig): ResolvedMetagrad {
  if (typeof config !== 'object' || config === null) throw new TypeError(`${FN}: expected a config object`);
  checkKnownKeys(config, ['env', ...Object.keys(METAGRAD_OPTIONS), 'onUpdate', 'signal', 'resume'], FN);
  if (typeof config.env !== 'string') throw new TypeError(`${FN}: env: expected an environment id string`);
  const { onUpdate: _u, signal: _s, resume: _r, ...given } = config;
  const c = withDefaults(METAGRAD_DEFAULTS, given) as ResolvedMetagrad;
  checkOptions(METAGRAD_OPTIONS, c, FN);
  // a learned γ or λ starts strictly inside (0, 1), a learned cost or rate above 0
  new MetaSpace(c.meta, hyperOf(c));
  return c;
}

function hyperOf(c: ResolvedMetagrad): Hyper {
  return { gamma: c.gamma, lambda: c.gaeLambda, entropy: c.entCoef, value: c.vfCoef, lr: c.lr };
}

/** The agent's options for a resolved config. */
export function metagradOptions(c: ResolvedMetagrad): MetaGradientOptions {
  return {
    env: c.env,
    meta: c.meta,
    init: hyperOf(c),
    reference: { gamma: c.refGamma, lambda: c.refLambda },
    numEnvs: c.numEnvs,
    numSteps: c.numSteps,
    hidden: c.hidden,
    innerSteps: c.innerSteps,
    metaLr: c.metaLr,
    ...(c.bmg === 'off' ? {} : { bmg: { steps: c.bmgSteps, match: c.bmg } }),
  };
}

/** A metrics row: the registry's per-update fields (those PPO-only are NaN, written as null) plus η by flag name. */
function rowOf(s: MetaGradientStats, fixed: Hyper): UpdateStats & Record<string, number> {
  const eta = { ...fixed, ...s.meta };
  return {
    update: s.update,
    steps: s.steps,
    seconds: s.seconds,
    meanReturn: s.meanReturn,
    meanLength: s.meanLength,
    episodes: s.episodes,
    lr: s.lr,
    policyLoss: Number.NaN,
    valueLoss: Number.NaN,
    entropy: Number.NaN,
    approxKl: Number.NaN,
    clipFraction: Number.NaN,
    klToOld: Number.NaN,
    gradNorm: Number.NaN,
    explainedVariance: Number.NaN,
    gamma: eta.gamma,
    gaeLambda: eta.lambda,
    entCoef: eta.entropy,
    vfCoef: eta.value,
    meanReward: s.meanReward,
    metaGradNorm: Math.hypot(...s.metaGradient),
  };
}

const NO_RESUME =
  'metagrad runs save the policy alone (the online agent state is not checkpointed) and cannot be resumed';

/** The policy's checkpoint, marked as holding no training state (a resume names why). */
function checkpointOf(policy: Policy): Checkpoint {
  const base = policy.toCheckpoint();
  return { ...base, meta: { ...base.meta, noTrainingState: NO_RESUME } };
}

async function train(config: MetagradTrainConfig): Promise<TrainResult> {
  if (config.resume !== undefined) throw new OuterloopError(`${FN}: resume: ${NO_RESUME}`);
  const c = resolve(config);
  const fixed = hyperOf(c);
  const result = await metaGradient(metagradOptions(c)).train({
    totalSteps: c.totalSteps,
    seed: c.seed,
    signal: config.signal,
    onUpdate: config.onUpdate
      ? (s, now) => {
          const policy = now.policy();
          const checkpoint = (): Checkpoint => checkpointOf(policy);
          config.onUpdate?.(rowOf(s, fixed), policy, {
            update: s.update,
            checkpoint,
            save: (path) => saveCheckpoint(path, checkpoint()),
            saveSync: (path) => saveCheckpointSync(path, checkpoint()),
          });
        }
      : undefined,
  });
  const checkpoint = checkpointOf(result.policy);
  return {
    policy: result.policy,
    history: result.history.map((s) => rowOf(s, fixed)),
    aborted: result.aborted,
    checkpoint,
    save: (path) => saveCheckpoint(path, checkpoint),
  };
}

/**
 * The `metagrad` entry of the trainer registry (rl/trainers.ts). Its config is not a PPO-style
 * one, so it is erased to the registry's view here, as the registry's own helper does.
 */
export const METAGRAD_TRAINER: Trainer = {
  summary:
    'meta-gradient A2C (Xu et al. 2018): learns --meta gamma,lambda,... online; L-step or BMG (Flennerhag et al. 2022)',
  options: METAGRAD_OPTIONS,
  defaults: () => METAGRAD_DEFAULTS,
  resolve: (config: TrainerConfig) =>
    resolve(config as unknown as MetagradTrainConfig) as unknown as ResolvedTrainerConfig,
  train: (config: TrainerConfig) => train(config as unknown as MetagradTrainConfig),
  variant: (resolved: ResolvedTrainerConfig) => {
    const c = resolved as unknown as ResolvedMetagrad;
    return `${c.meta.join('-')}${c.bmg === 'off' ? '' : `-bmg-${c.bmg}`}`;
  },
  charts: (resolved: ResolvedTrainerConfig) => {
    const c = resolved as unknown as ResolvedMetagrad;
    // one chart per learned name: γ near 1 and an entropy cost near 0.01 share no useful scale
    return c.meta.map((n) => ({
      file: `meta_${n}.svg`,
      y: [FLAG_OF[n]],
      title: `meta-learned ${n}`,
      yTitle: `${n} (--${FLAG_OF[n].replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)})`,
    }));
  },
};
