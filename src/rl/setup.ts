// What PPO and A2C set up the same way: the vector env, the actor-critic policy with its initial
// parameters, the optional normalizers and the rollout collector; when resuming, the same pieces
// restored from a training state instead. Kernel envs (envs.make) get the rollout-kernel
// collector; MuJoCo envs (envs.makeMujoco) the step-wise one, with the same semantics.
import * as envs from '../envs/index.js';
import { OuterloopError } from '../errors.js';
import type { JsonValue } from '../io/checkpoint.js';
import * as random from '../random/index.js';
import { type Collector, type CollectorOptions, RolloutCollector } from './collector.js';
import type { CommonTrainConfig, EnvOptions, Resolved } from './config.js';
import { type ActionSpec, ActorCritic, type ActorCriticSpec } from './model.js';
import { RewardScaler, RunningMeanStd } from './normalize.js';
import { Policy } from './policy.js';
import { StepCollector } from './step_collector.js';
import type { TrainingState } from './train_state.js';

/** A vector env the trainers run on: a kernel env or a MuJoCo env. */
export type TrainingEnv = envs.VectorEnv | envs.MujocoVectorEnv;

/** True when `envId` is a MuJoCo env id (envs.makeMujoco) rather than a kernel env. */
export function isMujocoEnv(envId: string): boolean {
  return (envs.MUJOCO_ENV_IDS as readonly string[]).includes(envId);
}

/** True when the env's actions are continuous (picks PPO's continuous defaults). */
export function isContinuous(envId: string): boolean {
  if (typeof envId !== 'string') throw new TypeError('env: expected an environment id string');
  if (isMujocoEnv(envId)) return true;
  return envs.spec(envId).actionSpace.type === 'box';
}

/** The env `id` with its options: a MuJoCo env for a MuJoCo id, else a kernel env. */
export function makeTrainingEnv(id: string, numEnvs: number, seed: number, options: EnvOptions = {}): TrainingEnv {
  return isMujocoEnv(id)
    ? envs.makeMujoco(id, { ...options, numEnvs, seed } as envs.MujocoMakeOptions)
    : envs.make(id, { ...options, numEnvs, seed } as envs.MakeOptions);
}

/** The rollout-kernel collector for a kernel env, the step-wise one for any other (its env reset with `seed`). */
export function makeCollector(env: TrainingEnv, model: ActorCritic, opts: CollectorOptions, seed: number): Collector {
  return env instanceof envs.VectorEnv
    ? new RolloutCollector(env, model, opts, seed)
    : new StepCollector(env, model, opts, seed);
}

export interface TrainingSetup {
  env: TrainingEnv;
  policy: Policy;
  collector: Collector;
  /** Keys for action sampling and minibatch shuffling, both derived from the seed. */
  collectKey: random.Key;
  shuffleKey: random.Key;
}

export function setupTraining(
  c: Resolved<CommonTrainConfig>,
  algo: string,
  extra: Record<string, JsonValue>,
  resumed?: TrainingState,
): TrainingSetup {
  const env = makeTrainingEnv(c.env, c.numEnvs, c.seed, c.envOptions);
  if (resumed) {
    if (!(resumed.policy instanceof Policy)) {
      env.close();
      throw new OuterloopError(`${resumed.source}: holds a recurrent policy; resume it with rl.ppo.train`);
    }
    return restoreTraining(c, env, resumed as TrainingState & { policy: Policy });
  }
  const space = env.actionSpace;
  const action: ActionSpec =
    space.type === 'discrete' ? { type: 'discrete', n: space.n } : { type: 'box', dim: env.actionDim };
  const [initKey, collectKey, shuffleKey] = random.split(random.key(c.seed), 3) as [random.Key, random.Key, random.Key];
  const obsRms = c.normalizeObs ? new RunningMeanStd(env.obsDim) : undefined;
  const spec: ActorCriticSpec = {
    obsDim: env.obsDim,
    action,
    hidden: c.hidden,
    activation: c.activation,
    network: c.network,
  };
  const params = new ActorCritic(spec).init(initKey);
  const policy = new Policy(
    spec,
    params,
    {
      env: c.env,
      algo,
      steps: 0,
      extra: { seed: c.seed, ...(c.envOptions ? { envOptions: c.envOptions as JsonValue } : {}), ...extra },
    },
    obsRms,
    c.clipObs,
  );
  const collector = makeCollector(
    env,
    policy.model,
    {
      numSteps: c.numSteps,
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
      obsRms,
      clipObs: c.clipObs,
      rewardScaler: c.normalizeReward ? new RewardScaler(c.numEnvs, c.gamma, c.clipReward) : undefined,
    },
    c.seed,
  );
  return { env, policy, collector, collectKey, shuffleKey };
}

// The resumed run's policy (params, obs statistics) drives the collector, as the original did.
function restoreTraining(
  c: Resolved<CommonTrainConfig>,
  env: TrainingEnv,
  s: TrainingState & { policy: Policy },
): TrainingSetup {
  const [, collectKey, shuffleKey] = random.split(random.key(c.seed), 3) as [random.Key, random.Key, random.Key];
  const policy = s.policy;
  const spec = policy.model.spec;
  if (spec.obsDim !== env.obsDim || policy.action.type !== env.actionSpace.type)
    throw new OuterloopError(`${s.source}: the saved policy does not fit ${c.env}`);
  if ((policy.obsRms === undefined) === c.normalizeObs)
    throw new OuterloopError(`${s.source}: normalizeObs is ${c.normalizeObs} but the saved policy disagrees`);
  const collector = makeCollector(
    env,
    policy.model,
    {
      numSteps: c.numSteps,
      gamma: c.gamma,
      gaeLambda: c.gaeLambda,
      obsRms: policy.obsRms,
      clipObs: c.clipObs,
      rewardScaler: c.normalizeReward ? new RewardScaler(c.numEnvs, c.gamma, c.clipReward) : undefined,
    },
    c.seed,
  );
  try {
    env.restore(s.env);
    collector.restoreState(s.collector);
  } catch (e) {
    env.close();
    throw new OuterloopError(`${s.source}: not a valid training checkpoint (${e instanceof Error ? e.message : e})`);
  }
  return { env, policy, collector, collectKey, shuffleKey };
}
