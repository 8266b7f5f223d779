// What PPO and A2C set up the same way: the vector env, the actor-critic policy with its initial
// parameters, the optional normalizers and the rollout collector; when resuming, the same pieces
// restored from a training state instead.
import * as envs from '../envs/index.js';
import { OuterloopError } from '../errors.js';
import * as random from '../random/index.js';
import { RolloutCollector } from './collector.js';
import type { CommonTrainConfig, Resolved } from './config.js';
import { type ActionSpec, ActorCritic, type ActorCriticSpec } from './model.js';
import { RewardScaler, RunningMeanStd } from './normalize.js';
import { Policy } from './policy.js';
import type { TrainingState } from './train_state.js';

/** True when the env's actions are continuous (picks PPO's continuous defaults). */
export function isContinuous(envId: string): boolean {
  if (typeof envId !== 'string') throw new TypeError('env: expected an environment id string');
  return envs.spec(envId).actionSpace.type === 'box';
}

export interface TrainingSetup {
  env: envs.VectorEnv;
  policy: Policy;
  collector: RolloutCollector;
  /** Keys for action sampling and minibatch shuffling, both derived from the seed. */
  collectKey: random.Key;
  shuffleKey: random.Key;
}

export function setupTraining(
  c: Resolved<CommonTrainConfig>,
  algo: string,
  extra: Record<string, string>,
  resumed?: TrainingState,
): TrainingSetup {
  const env = envs.make(c.env, { numEnvs: c.numEnvs, seed: c.seed });
  if (resumed) return restoreTraining(c, env, resumed);
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
    { env: c.env, algo, steps: 0, extra: { seed: c.seed, ...extra } },
    obsRms,
    c.clipObs,
  );
  const collector = new RolloutCollector(
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
function restoreTraining(c: Resolved<CommonTrainConfig>, env: envs.VectorEnv, s: TrainingState): TrainingSetup {
  const [, collectKey, shuffleKey] = random.split(random.key(c.seed), 3) as [random.Key, random.Key, random.Key];
  const policy = s.policy;
  const spec = policy.model.spec;
  if (spec.obsDim !== env.obsDim || policy.action.type !== env.actionSpace.type)
    throw new OuterloopError(`${s.source}: the saved policy does not fit ${c.env}`);
  if ((policy.obsRms === undefined) === c.normalizeObs)
    throw new OuterloopError(`${s.source}: normalizeObs is ${c.normalizeObs} but the saved policy disagrees`);
  const collector = new RolloutCollector(
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
