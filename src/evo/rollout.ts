// Batched population evaluation for neuroevolution: every member is a flat MLP parameter vector,
// run on its own envs for one episode each, in one kernel call (threaded over members natively).
import { getBackend } from '../backend/index.js';
import { spec as envSpec, type MakeOptions } from '../envs/specs.js';
import { ACTIVATION_CODES } from '../nn/activations.js';
import type { ActivationName } from '../nn/types.js';
import { type Key, key as makeKey } from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkUint32 } from '../util/check.js';
import type { Population } from './types.js';

/** The env, MLP policy shape and seeds of a batched population rollout. */
export interface PopulationRolloutOptions {
  /** Environment id, e.g. 'CartPole-v1'. */
  env: string;
  /** Options of the env (e.g. maxEpisodeSteps), as for envs.make; numEnvs and seed are set here. */
  envOptions?: Omit<MakeOptions, 'numEnvs' | 'seed'>;
  /** Policy widths [obsDim, hidden…, actions] (actions: number of discrete actions or the box action size). */
  sizes: readonly number[];
  /** Hidden activation, default 'tanh'. */
  activation?: ActivationName;
  /** Output activation, default 'identity'. */
  outputActivation?: ActivationName;
  /** Envs (episodes) per member, default 1. */
  envsPerMember?: number;
  /** Step cap per episode, default the env's episode limit. */
  maxSteps?: number;
  /** Seed or key of the env streams. */
  seed: number | Key;
  /** Every member meets the same initial states (common random numbers), default false. */
  commonEnvSeeds?: boolean;
  /** Task rows [envsPerMember × taskDim] for envs with tasks (shared by all members). */
  tasks?: Float32Array;
  /** Also return each member's action statistics (`actionStats`), default false. */
  actionStats?: boolean;
}

/** Per-member results of a population rollout (P = members). */
export interface PopulationRolloutResult {
  /** Mean episode return of each member over its envs. */
  returns: Float64Array;
  /** Total steps each member took. */
  lengths: Int32Array;
  /** Mean last observation of each member's episodes [P × obsDim] (a behaviour descriptor). */
  descriptors: Float32Array;
  /** Observation size (descriptor width). */
  obsDim: number;
  /**
   * With `actionStats: true`, per member [P × actionWidth] over all its steps: the fraction of
   * steps taking each discrete action (an action histogram), or the mean of each box action
   * component as the policy gave it (before the env's clipping). Empty otherwise.
   */
  actionStats: Float32Array;
  /** Discrete action count, or box action size (the width of `actionStats` rows). */
  actionWidth: number;
}

const KEYS = [
  'env',
  'envOptions',
  'sizes',
  'activation',
  'outputActivation',
  'envsPerMember',
  'maxSteps',
  'seed',
  'commonEnvSeeds',
  'tasks',
  'actionStats',
] as const;

function prepare(params: Float32Array | Population, o: PopulationRolloutOptions) {
  if (typeof o !== 'object' || o === null) throw new TypeError('rolloutPopulation: expected an options object');
  checkKnownKeys(o, KEYS, 'rolloutPopulation');
  const x = params instanceof Float32Array ? params : (params as Population)?.x;
  checkFloat32(x, 'rolloutPopulation: params');
  const spec = envSpec(o.env, { ...(o.envOptions ?? {}) });
  if (!Array.isArray(o.sizes) || o.sizes.length < 2)
    throw new TypeError('rolloutPopulation: sizes: expected an array of at least 2 widths');
  const sizes = Int32Array.from(o.sizes);
  let paramCount = 0;
  for (let l = 1; l < sizes.length; l++) paramCount += ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
  if (paramCount === 0 || x.length % paramCount !== 0)
    throw new RangeError(
      `rolloutPopulation: params: expected a multiple of the policy's ${paramCount} parameters, got ${x.length}`,
    );
  const hidden = ACTIVATION_CODES[o.activation ?? 'tanh'];
  const output = ACTIVATION_CODES[o.outputActivation ?? 'identity'];
  if (hidden === undefined) throw new RangeError(`rolloutPopulation: activation: unknown '${String(o.activation)}'`);
  if (output === undefined)
    throw new RangeError(`rolloutPopulation: outputActivation: unknown '${String(o.outputActivation)}'`);
  const envsPerMember = o.envsPerMember ?? 1;
  checkInteger(envsPerMember, 'rolloutPopulation: envsPerMember', 1, 1 << 20);
  const maxSteps = o.maxSteps ?? spec.maxEpisodeSteps;
  checkInteger(maxSteps, 'rolloutPopulation: maxSteps', 1, 2 ** 30);
  const key = typeof o.seed === 'number' ? makeKey(o.seed) : o.seed;
  checkUint32(key, 'rolloutPopulation: seed', 2);
  const tasks = o.tasks ?? new Float32Array(0);
  checkFloat32(tasks, 'rolloutPopulation: tasks', spec.taskDim * envsPerMember);
  const commonEnvSeeds = o.commonEnvSeeds ?? false;
  if (typeof commonEnvSeeds !== 'boolean') throw new TypeError('rolloutPopulation: commonEnvSeeds: expected a boolean');
  const stats = o.actionStats ?? false;
  if (typeof stats !== 'boolean') throw new TypeError('rolloutPopulation: actionStats: expected a boolean');
  const P = x.length / paramCount;
  const obsDim = spec.observationSpace.shape[0] as number;
  const a = spec.actionSpace;
  const actionWidth = a.type === 'discrete' ? a.n : (a.shape[0] as number);
  const result: PopulationRolloutResult = {
    returns: new Float64Array(P),
    lengths: new Int32Array(P),
    descriptors: new Float32Array(P * obsDim),
    obsDim,
    actionStats: new Float32Array(stats ? P * actionWidth : 0),
    actionWidth,
  };
  const args = [
    spec.config,
    sizes,
    x,
    key,
    tasks,
    result.returns,
    result.lengths,
    result.descriptors,
    { hidden, output, envsPerMember, maxSteps, commonEnvSeeds },
    result.actionStats,
  ] as const;
  return { args, result };
}

/**
 * Runs every member's policy for one episode on each of its envs, in one kernel call, on a worker
 * thread (native). `params` (or `population.x`) must not be modified until the promise settles.
 */
export async function rolloutPopulation(
  params: Float32Array | Population,
  options: PopulationRolloutOptions,
): Promise<PopulationRolloutResult> {
  const { args, result } = prepare(params, options);
  await getBackend().esRolloutPoliciesAsync(...args);
  return result;
}

/** `rolloutPopulation` on the calling thread. */
export function rolloutPopulationSync(
  params: Float32Array | Population,
  options: PopulationRolloutOptions,
): PopulationRolloutResult {
  const { args, result } = prepare(params, options);
  getBackend().esRolloutPolicies(...args);
  return result;
}
