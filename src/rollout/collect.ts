// Batched policy rollouts through a vector env in one kernel call.
import { getBackend } from '../backend/index.js';
import { mlpParamCount } from '../backend/kernels/nn.js';
import type { RolloutArgs, RolloutValueMode } from '../backend/kernels/rollout.js';
import type { VectorEnv } from '../envs/vector_env.js';
import { ACTIVATION_CODES, checkActivation } from '../nn/activations.js';
import type { ActivationName } from '../nn/types.js';
import type { Key } from '../random/index.js';
import { checkFloat32, checkInteger, checkUint32 } from '../util/check.js';

const EMPTY_F32 = new Float32Array(0);
const EMPTY_F64 = new Float64Array(0);

/** An MLP given by widths, hidden activation and flat parameters (nn.mlp's layout; linear output). */
export interface NetParams {
  sizes: readonly number[] | Int32Array;
  /** Hidden activation (default 'tanh'). */
  activation?: ActivationName;
  params: Float32Array;
}

/** Options of `rollout.collect`: the policy network, the environments and the rollout length. */
export interface CollectOptions {
  /**
   * The policy: obsDim → numActions logits (discrete) or actionDim means (box), plus one extra
   * output when `value` is 'head'. For box actions give `logStd` [actionDim].
   */
  policy: NetParams & { logStd?: Float32Array };
  /** 'head': the policy's last output is the value; a net: a separate value net obsDim → 1; omitted: no values. */
  value?: 'head' | NetParams;
  /** Steps per env. */
  steps: number;
  /** Key of the action-sampling streams (use a fresh key per call). */
  key: Key;
  /** Reuse this trajectory's buffers (same env, steps) instead of allocating. */
  out?: Trajectory;
}

/** A rollout's record, time-major [steps × numEnvs (× dim)]. */
export interface Trajectory {
  steps: number;
  numEnvs: number;
  obsDim: number;
  /** Observation each action was taken from. */
  obs: Float32Array;
  /** Int32Array [T × N] (discrete) or Float32Array [T × N × actionDim] (the raw Gaussian samples; the env clips). */
  actions: Int32Array | Float32Array;
  logProbs: Float32Array;
  /** Value estimates of `obs` (0 without a value). */
  values: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Value of the pre-reset observation where truncated and not terminated, else 0. */
  finalValues: Float32Array;
  /** [N] value of the observation after the last step (the GAE bootstrap). */
  lastValues: Float32Array;
  /** Return and length of the episode that ended at (t, i), else 0 (episodes may have started in an earlier rollout). */
  doneReturn: Float32Array;
  doneLength: Int32Array;
  /** The episodes that ended during this rollout, in (t, i) order. */
  episodes: { returns: Float32Array; lengths: Int32Array };
}

function netArgs(
  n: NetParams,
  name: string,
  inDim: number,
  outDim: number,
): { sizes: Int32Array; hidden: number; params: Float32Array } {
  if (n === null || typeof n !== 'object') throw new TypeError(`${name}: expected { sizes, params }`);
  if (!Array.isArray(n.sizes) && !(ArrayBuffer.isView(n.sizes) && !(n.sizes instanceof DataView)))
    throw new TypeError(`${name}.sizes: expected an array of layer widths`);
  for (let l = 0; l < n.sizes.length; l++) checkInteger(n.sizes[l], `${name}.sizes[${l}]`, 1, 65536);
  const sizes = Int32Array.from(n.sizes as ArrayLike<number>);
  if (sizes.length < 2) throw new RangeError(`${name}.sizes: expected at least 2 widths`);
  if (sizes[0] !== inDim)
    throw new RangeError(`${name}.sizes[0]: expected the observation size ${inDim}, got ${sizes[0]}`);
  if (sizes[sizes.length - 1] !== outDim)
    throw new RangeError(`${name}.sizes: expected ${outDim} outputs, got ${sizes[sizes.length - 1]}`);
  const act = n.activation ?? 'tanh';
  checkActivation(act, `${name}.activation`);
  checkFloat32(n.params, `${name}.params`, mlpParamCount(sizes));
  return { sizes, hidden: ACTIVATION_CODES[act], params: n.params };
}

function allocate(env: VectorEnv, steps: number): Trajectory {
  const tn = steps * env.numEnvs;
  return {
    steps,
    numEnvs: env.numEnvs,
    obsDim: env.obsDim,
    obs: new Float32Array(tn * env.obsDim),
    actions: env.actionSpace.type === 'discrete' ? new Int32Array(tn) : new Float32Array(tn * env.actionDim),
    logProbs: new Float32Array(tn),
    values: new Float32Array(tn),
    rewards: new Float32Array(tn),
    terminated: new Uint8Array(tn),
    truncated: new Uint8Array(tn),
    finalValues: new Float32Array(tn),
    lastValues: new Float32Array(env.numEnvs),
    doneReturn: new Float32Array(tn),
    doneLength: new Int32Array(tn),
    episodes: { returns: new Float32Array(0), lengths: new Int32Array(0) },
  };
}

function prepare(env: VectorEnv, o: CollectOptions): { args: RolloutArgs; traj: Trajectory } {
  // Duck-typed rather than instanceof, so an env from the other (ESM/CJS) build still passes.
  if (typeof (env as VectorEnv | null)?.checkUsable !== 'function')
    throw new TypeError('env: expected a vector env from envs.make()');
  if (o === null || typeof o !== 'object') throw new TypeError('options: expected an object');
  env.checkUsable();
  checkInteger(o.steps, 'steps', 1, 2 ** 24);
  checkUint32(o.key, 'key', 2);
  const discrete = env.actionSpace.type === 'discrete';
  const heads =
    (env.actionSpace.type === 'discrete' ? env.actionSpace.n : env.actionDim) + (o.value === 'head' ? 1 : 0);
  const policy = netArgs(o.policy, 'policy', env.obsDim, heads);
  let logStd: Float32Array = new Float32Array(0);
  if (!discrete) {
    checkFloat32(o.policy.logStd, 'policy.logStd', env.actionDim);
    logStd = o.policy.logStd;
    if (!logStd.every((v) => Number.isFinite(v))) throw new RangeError('policy.logStd: expected finite numbers');
  }
  let valueMode: RolloutValueMode = 'none';
  let value: ReturnType<typeof netArgs> | undefined;
  if (o.value === 'head') valueMode = 'head';
  else if (o.value !== undefined) {
    valueMode = 'separate';
    value = netArgs(o.value, 'value', env.obsDim, 1);
  }
  let traj = o.out;
  if (traj) {
    if (traj.steps !== o.steps || traj.numEnvs !== env.numEnvs || traj.obsDim !== env.obsDim)
      throw new RangeError('out: a trajectory of another env or step count');
  } else traj = allocate(env, o.steps);
  const args: RolloutArgs = {
    config: env.config,
    state: env.state,
    tasks: env.tasks,
    elapsed: env.elapsed,
    rng: env.rng,
    obs: env.result.obs,
    steps: o.steps,
    key: o.key,
    counter: 0,
    policySizes: policy.sizes,
    policyHidden: policy.hidden,
    policyParams: policy.params,
    logStd,
    valueMode,
    ...(value ? { valueSizes: value.sizes, valueHidden: value.hidden, valueParams: value.params } : {}),
    // Box actions go to the env as sampled (it clips them); observations are raw.
    actionLow: EMPTY_F32,
    actionHigh: EMPTY_F32,
    obsStats: EMPTY_F64,
    clipObs: 0,
    trajObs: traj.obs,
    actions: traj.actions,
    logProbs: traj.logProbs,
    heads: EMPTY_F32,
    values: traj.values,
    rewards: traj.rewards,
    terminated: traj.terminated,
    truncated: traj.truncated,
    finalValues: traj.finalValues,
    lastValues: traj.lastValues,
    episodeReturn: env.episodeReturn,
    episodeLength: env.episodeLength,
    doneReturn: traj.doneReturn,
    doneLength: traj.doneLength,
  };
  return { args, traj };
}

function finish(traj: Trajectory): Trajectory {
  let count = 0;
  for (const len of traj.doneLength) if (len > 0) count++;
  const returns = new Float32Array(count);
  const lengths = new Int32Array(count);
  let k = 0;
  for (let j = 0; j < traj.doneLength.length; j++) {
    if ((traj.doneLength[j] as number) > 0) {
      returns[k] = traj.doneReturn[j] as number;
      lengths[k++] = traj.doneLength[j] as number;
    }
  }
  traj.episodes = { returns, lengths };
  return traj;
}

/**
 * Runs `steps` steps of policy → sample → env step in one kernel call (threaded over env rows
 * natively) and returns the trajectory. The env continues from its current observations and is
 * left after the last step, so consecutive calls continue the same episodes.
 */
export function collect(env: VectorEnv, options: CollectOptions): Trajectory {
  const { args, traj } = prepare(env, options);
  getBackend().rolloutRun(args);
  return finish(traj);
}

/**
 * `collect` on a worker thread (native), keeping the event loop free. The env (and `out`) must
 * not be used until the promise settles; the env throws if stepped meanwhile.
 */
export async function collectAsync(env: VectorEnv, options: CollectOptions): Promise<Trajectory> {
  const { args, traj } = prepare(env, options);
  env.busy = true;
  try {
    await getBackend().rolloutRunAsync(Object.freeze(args));
  } finally {
    env.busy = false;
  }
  return finish(traj);
}
