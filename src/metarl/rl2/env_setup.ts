// The envs RL² trains on and how their tasks are drawn: Bandit-v0 with p_i ~ Beta(α, β) per arm
// (drawn here and set on the env, so any prior works with the env's kernel unchanged; Beta(1, 1)
// is the env's own U[0, 1]), and TabularMDP-v0 with the env's own task sampler (Duan et al.).
import { make } from '../../envs/index.js';
import type { VectorEnv } from '../../envs/vector_env.js';
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys } from '../../util/check.js';
import { checkPrior } from '../baselines.js';
import { Rng } from '../rng.js';
import type { BanditRewards, BetaPrior } from '../types.js';

/** Env options of RL²: Bandit-v0 takes arms, pulls, prior; TabularMDP-v0 takes states, actions, horizon. */
export interface Rl2EnvOptions {
  /** Bandit-v0: arms k (default 5). */
  arms?: number;
  /** Bandit-v0: pulls per episode (default 10). */
  pulls?: number;
  /** Bandit-v0: p_i ~ Beta(α, β) per task (default Beta(1, 1) = U[0, 1]). */
  prior?: BetaPrior;
  /** Bandit-v0: 'bernoulli' (default) or 'gaussian' arms (μ ~ N(0, 1), rewards N(μ, 1); no prior). */
  rewards?: BanditRewards;
  /** TabularMDP-v0: states (default 10). */
  states?: number;
  /** TabularMDP-v0: actions (default 5). */
  actions?: number;
  /** TabularMDP-v0: steps per episode (default 10). */
  horizon?: number;
}

/** The env ids RL² supports. */
export type Rl2EnvId = 'Bandit-v0' | 'TabularMDP-v0';

/** A resolved env family: sizes and the task sampler. */
export interface TrialEnvFamily {
  readonly id: Rl2EnvId;
  readonly obsDim: number;
  readonly actions: number;
  readonly episodeLength: number;
  /** Options passed to `make`, without numEnvs/seed. */
  readonly makeOptions: Readonly<Record<string, number | string>>;
  /** The Beta prior of a Bernoulli bandit family. */
  readonly prior: BetaPrior | undefined;
  /** A bandit family's arms (undefined for other envs). */
  readonly rewards: BanditRewards | undefined;
  /** A new env of `rows` rows. */
  create(rows: number, seed: number): VectorEnv;
  /** Draws `rows` tasks on `key` for `env`. */
  sampleTasks(env: VectorEnv, key: Key, rows: number): Float32Array;
}

/** Checks `id` and `options` and resolves the family. */
export function trialEnvFamily(id: unknown, options: Rl2EnvOptions | undefined, name: string): TrialEnvFamily {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new TypeError(`${name}: expected an object`);
  if (id === 'Bandit-v0') {
    checkKnownKeys(o, ['arms', 'pulls', 'prior', 'rewards'], name);
    const rewards = o.rewards ?? 'bernoulli';
    if (rewards !== 'bernoulli' && rewards !== 'gaussian')
      throw new RangeError(`${name}.rewards: expected 'bernoulli' or 'gaussian', got ${String(rewards)}`);
    if (rewards === 'gaussian' && o.prior !== undefined)
      throw new RangeError(`${name}.prior: a Beta prior applies to Bernoulli arms only`);
    const arms = o.arms ?? 5;
    const pulls = o.pulls ?? 10;
    checkInteger(arms, `${name}.arms`, 2, 1024);
    checkInteger(pulls, `${name}.pulls`, 1, 2 ** 20);
    if (o.prior !== undefined) checkPrior(o.prior, `${name}.prior`);
    const prior = o.prior ?? { alpha: 1, beta: 1 };
    const makeOptions = { arms, pulls, rewards };
    return {
      id,
      obsDim: arms + 1,
      actions: arms,
      episodeLength: pulls,
      makeOptions,
      prior,
      rewards,
      create: (rows, seed) => make('Bandit-v0', { ...makeOptions, numEnvs: rows, seed }),
      sampleTasks: (env, key, rows) => {
        if (o.prior === undefined) return env.sampleTasks(key, rows);
        const rng = new Rng(key);
        const t = new Float32Array(rows * arms);
        for (let j = 0; j < t.length; j++) t[j] = rng.beta(prior.alpha, prior.beta);
        return t;
      },
    };
  }
  if (id === 'TabularMDP-v0') {
    checkKnownKeys(o, ['states', 'actions', 'horizon'], name);
    const states = o.states ?? 10;
    const actions = o.actions ?? 5;
    const horizon = o.horizon ?? 10;
    checkInteger(states, `${name}.states`, 1, 64);
    checkInteger(actions, `${name}.actions`, 1, 64);
    checkInteger(horizon, `${name}.horizon`, 1, 2 ** 20);
    const makeOptions = { states, actions, horizon };
    return {
      id,
      obsDim: states,
      actions,
      episodeLength: horizon,
      makeOptions,
      prior: undefined,
      rewards: undefined,
      create: (rows, seed) => make('TabularMDP-v0', { ...makeOptions, numEnvs: rows, seed }),
      sampleTasks: (env, key, rows) => env.sampleTasks(key, rows),
    };
  }
  throw new RangeError(`options.env: expected 'Bandit-v0' or 'TabularMDP-v0', got ${String(id)}`);
}
