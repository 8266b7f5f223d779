// Evaluation: run a policy for a number of full episodes on fresh envs and report the returns.
// Episodes are split over parallel envs with a fixed quota per env, so short episodes do not
// crowd out long ones (which would bias the mean), and the result depends only on the seed.
import * as random from '../random/index.js';
import { checkBoolean, checkInteger, checkKnownKeys } from '../util/check.js';
import type { EnvOptions } from './config.js';
import type { Policy } from './policy.js';
import type { RecurrentPolicy } from './recurrent/policy.js';
import { makeTrainingEnv } from './setup.js';
import type { SteppableEnv } from './step_collector.js';

/** Options of `rl.evaluate`: environment, episodes, seed and greedy or sampled actions. */
export interface EvaluateOptions {
  /** Environment id (default: the one the policy was trained on; a kernel or MuJoCo env). */
  env?: string;
  /** The env's options (default: those the policy was trained with, when `env` is left out). */
  envOptions?: EnvOptions;
  /** Episodes to run (default 100). */
  episodes?: number;
  /** Seed of the evaluation envs and of sampled actions (default 0). */
  seed?: number;
  /** Greedy actions (default true). */
  deterministic?: boolean;
  /** Envs stepped together (default min(episodes, 32)). */
  numEnvs?: number;
}

/** What `rl.evaluate` returns: mean and standard deviation of the episode returns, and each episode. */
export interface EvaluateResult {
  meanReturn: number;
  stdReturn: number;
  /** Per-episode returns and lengths, in the order episodes finished. */
  returns: number[];
  lengths: number[];
}

// e.g. '2 discrete' or '1-dim box', to compare and report action spaces.
function actionLabel(size: number, type: 'discrete' | 'box'): string {
  return type === 'discrete' ? `${size} discrete` : `${size}-dim box`;
}

/** Runs `episodes` full episodes with the policy and reports mean/std return and lengths. */
export async function evaluate(
  policy: Policy | RecurrentPolicy,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  if (typeof policy?.act !== 'function' || typeof policy.info !== 'object')
    throw new TypeError('rl.evaluate: policy: expected an rl.Policy (from training or rl.Policy.load)');
  checkKnownKeys(options, ['env', 'envOptions', 'episodes', 'seed', 'deterministic', 'numEnvs'], 'rl.evaluate');
  const id = options.env ?? policy.info.env;
  const episodes = options.episodes ?? 100;
  const seed = options.seed ?? 0;
  checkInteger(episodes, 'rl.evaluate: episodes', 1, 1e7);
  checkInteger(seed, 'rl.evaluate: seed');
  const numEnvs = options.numEnvs ?? Math.min(episodes, 32);
  checkInteger(numEnvs, 'rl.evaluate: numEnvs', 1, episodes);
  const deterministic = options.deterministic ?? true;
  checkBoolean(deterministic, 'rl.evaluate: deterministic');

  const trained = policy.info.extra?.envOptions;
  const envOptions =
    options.envOptions ??
    (options.env === undefined && typeof trained === 'object' && trained !== null && !Array.isArray(trained)
      ? (trained as EnvOptions)
      : {});
  const env: SteppableEnv = makeTrainingEnv(id, numEnvs, seed, envOptions);
  if (env.obsDim !== policy.observationDim)
    throw new RangeError(
      `rl.evaluate: ${id} has ${env.obsDim} observation floats, the policy expects ${policy.observationDim}`,
    );
  const envAction = actionLabel(
    env.actionSpace.type === 'discrete' ? env.actionSpace.n : env.actionDim,
    env.actionSpace.type,
  );
  const policyAction = actionLabel(
    policy.action.type === 'discrete' ? policy.action.n : policy.action.dim,
    policy.action.type,
  );
  if (envAction !== policyAction)
    throw new RangeError(`rl.evaluate: ${id} has ${envAction} actions, the policy gives ${policyAction} actions`);
  const quota = Int32Array.from(
    { length: numEnvs },
    (_, i) => Math.floor(episodes / numEnvs) + (i < episodes % numEnvs ? 1 : 0),
  );
  const ret = new Float64Array(numEnvs);
  const len = new Int32Array(numEnvs);
  const returns: number[] = [];
  const lengths: number[] = [];
  const key = random.fold(random.key(seed), 0x65766131);
  let obs = env.reset().slice();
  // A recurrent policy starts every row from a zero state and is reset where an episode ends.
  const recurrent = 'resetState' in policy ? policy : undefined;
  const ended = new Uint8Array(numEnvs);
  recurrent?.resetState();
  for (let step = 0; returns.length < episodes; step++) {
    const actions = policy.act(obs, { deterministic, key: random.fold(key, step % 2 ** 32) });
    const r = env.step(actions);
    if (recurrent) {
      for (let i = 0; i < numEnvs; i++) ended[i] = (r.terminated[i] as number) | (r.truncated[i] as number);
      recurrent.resetState(ended);
    }
    for (let i = 0; i < numEnvs; i++) {
      if ((quota[i] as number) === 0) continue;
      ret[i] = (ret[i] as number) + (r.reward[i] as number);
      len[i] = (len[i] as number) + 1;
      if (r.terminated[i] || r.truncated[i]) {
        returns.push(ret[i] as number);
        lengths.push(len[i] as number);
        quota[i] = (quota[i] as number) - 1;
        ret[i] = 0;
        len[i] = 0;
      }
    }
    obs = r.obs.slice();
  }
  env.close();
  const mean = returns.reduce((s, x) => s + x, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((s, x) => s + (x - mean) ** 2, 0) / returns.length);
  return { meanReturn: mean, stdReturn: std, returns, lengths };
}
