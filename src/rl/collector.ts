// Collects on-policy rollouts from a vector env for PPO and A2C: numSteps steps of every env,
// stored time-major [numSteps × numEnvs], with log-probs, values, GAE advantages and returns.
//
// Two collectors share the storage, the episode bookkeeping, reward scaling and GAE (Collector):
// RolloutCollector runs the steps in the rollout kernel (rolloutRun, the kernel behind the public
// rollout.collect), one call per rollout, for the kernel-stepped envs of envs.make;
// StepCollector (step_collector.ts) steps any other vector env (the MuJoCo envs) from TypeScript,
// one batched policy forward and one env.step per time step, with the same semantics:
// - Actions are sampled from the current policy with the library's Philox streams (row i uses
//   fold(key, i), the key derived from the update index), so runs are reproducible.
// - Box actions are stored as sampled and clipped to the action bounds only when sent to the env
//   (Gymnasium's ClipAction), so log-probs stay those of the sampled action.
// - Observation normalization: the kernel folds each step's observations into the policy's
//   running statistics before the step and feeds the policy the normalized ones (stored in obs).
// - Truncation (time limit) bootstraps from V(finalObs) (finalValues); termination from 0.
// - Reward normalization scales the stored rewards after the rollout, step by step: it depends on
//   the rewards and episode ends alone, never on the actions taken.
import { getBackend } from '../backend/index.js';
import type { GaeScalars, RolloutArgs } from '../backend/kernels/rollout.js';
import type { VectorEnv } from '../envs/index.js';
import type * as random from '../random/index.js';
import { EpisodeTracker, type EpisodeTrackerState } from './episodes.js';
import type { ActionSpec, ActorCritic } from './model.js';
import type { RewardScaler, RunningMeanStd } from './normalize.js';

export interface CollectorOptions {
  numSteps: number;
  gamma: number;
  gaeLambda: number;
  /** Running observation statistics to update and normalize with (undefined: raw observations). */
  obsRms: RunningMeanStd | undefined;
  clipObs: number;
  /** Reward normalization (undefined: raw rewards). */
  rewardScaler: RewardScaler | undefined;
}

/**
 * What a collector carries from one rollout to the next (copies), for resuming exactly. The
 * observations the next rollout starts from are the env's own (its snapshot).
 */
export interface CollectorState {
  episodes: EpisodeTrackerState;
  /** The reward scaler's packed state (undefined without reward normalization). */
  rewardScaler: Float64Array | undefined;
  /**
   * Recurrent collectors: the cell state the next rollout starts from — h [numEnvs × hidden], then
   * for an LSTM c [numEnvs × hidden] (the name is the checkpoint field's, kept from the GRU-only days).
   */
  gruState?: Float32Array;
  /** Recurrent collectors: 1 where the next rollout's first step starts an episode [numEnvs]. */
  pendingResets?: Int32Array;
}

const EMPTY_F32 = new Float32Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * What every collector holds and does after its steps: the rollout's storage, episode
 * bookkeeping, reward scaling and GAE. A subclass fills the per-step arrays (and doneReturn,
 * doneLength, lastValues) in `runSteps`.
 */
export abstract class Collector {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly size: number;
  /** Policy inputs (normalized when obsRms is set) [numSteps × numEnvs × obsDim]. */
  readonly obs: Float32Array;
  /** Discrete actions [size] or box actions [size × dim]. */
  readonly actions: Int32Array | Float32Array;
  readonly logp: Float32Array;
  readonly values: Float32Array;
  /** Rewards (scaled when rewardScaler is set). */
  readonly rewards: Float32Array;
  /** Episode ended (terminated or truncated) at this step: resets the reward scaler's return. */
  readonly dones: Uint8Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** V(finalObs) where a step was truncated (and not terminated): the GAE bootstrap. */
  readonly finalValues: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  /** Policy-head outputs at collection time (the old policy, for MDPO's KL) [size × headDim]. */
  readonly heads: Float32Array;
  readonly episodes: EpisodeTracker;
  /** [numEnvs] value of the observation after the last step. */
  protected readonly lastValues: Float32Array;
  /** Return and length of the episode that ended at each (t, i), else 0. */
  protected readonly doneReturn: Float32Array;
  protected readonly doneLength: Int32Array;
  private readonly gaeScalars: GaeScalars;

  constructor(
    numEnvs: number,
    /** The policy's shape: obsDim, action, head width (an ActorCritic for the kernel collector). */
    readonly shape: {
      readonly policyDim: number;
      readonly spec: { readonly obsDim: number; readonly action: ActionSpec };
    },
    readonly opts: CollectorOptions,
  ) {
    this.numEnvs = numEnvs;
    const model = shape;
    this.obsDim = model.spec.obsDim;
    this.size = opts.numSteps * numEnvs;
    const a = model.spec.action;
    this.obs = new Float32Array(this.size * this.obsDim);
    this.actions = a.type === 'box' ? new Float32Array(this.size * a.dim) : new Int32Array(this.size);
    this.logp = new Float32Array(this.size);
    this.values = new Float32Array(this.size);
    this.rewards = new Float32Array(this.size);
    this.dones = new Uint8Array(this.size);
    this.terminated = new Uint8Array(this.size);
    this.truncated = new Uint8Array(this.size);
    this.finalValues = new Float32Array(this.size);
    this.advantages = new Float32Array(this.size);
    this.returns = new Float32Array(this.size);
    this.heads = new Float32Array(this.size * model.policyDim);
    this.episodes = new EpisodeTracker(numEnvs);
    this.lastValues = new Float32Array(numEnvs);
    this.doneReturn = new Float32Array(this.size);
    this.doneLength = new Int32Array(this.size);
    this.gaeScalars = { gamma: opts.gamma, lambda: opts.gaeLambda };
  }

  /**
   * A copy of the state carried between rollouts. The env's own state is saved separately
   * (env.snapshot()); the observation statistics live in the policy.
   */
  saveState(): CollectorState {
    return { episodes: this.episodes.saveState(), rewardScaler: this.opts.rewardScaler?.saveState() };
  }

  /** Restores `saveState()` of a collector with the same env, sizes and normalization. */
  restoreState(s: CollectorState): void {
    if ((s.rewardScaler === undefined) !== (this.opts.rewardScaler === undefined))
      throw new RangeError('collector state: reward normalization differs from the saved run');
    this.episodes.restoreState(s.episodes);
    if (s.rewardScaler && this.opts.rewardScaler) this.opts.rewardScaler.restoreState(s.rewardScaler);
  }

  /** Runs numSteps steps of every env with `params` (sampling from `key`), filling the per-step arrays. */
  protected abstract runSteps(params: Float32Array, key: random.Key): void;

  /** Runs numSteps steps of every env with `params`, then computes advantages and returns. */
  collect(params: Float32Array, key: random.Key): void {
    this.runSteps(params, key);
    for (let k = 0; k < this.size; k++) this.dones[k] = (this.terminated[k] as number) | (this.truncated[k] as number);
    this.episodes.record(this.doneReturn, this.doneLength);
    // With reward normalization the critic predicts in scaled units, as the stored rewards are.
    this.opts.rewardScaler?.scale(this.rewards, this.dones, this.opts.numSteps);
    getBackend().gae(
      this.rewards,
      this.values,
      this.terminated,
      this.truncated,
      this.finalValues,
      this.lastValues,
      this.advantages,
      this.returns,
      this.gaeScalars,
    );
  }
}

/** The collector of the kernel-stepped envs of envs.make: one rollout-kernel call per rollout. */
export class RolloutCollector extends Collector {
  /** The kernel's arguments, built once; collect() points them at the params and key. */
  private readonly args: RolloutArgs;
  private boundParams: Float32Array | undefined;

  constructor(
    readonly env: VectorEnv,
    readonly model: ActorCritic,
    opts: CollectorOptions,
    seed: number,
  ) {
    super(env.numEnvs, model, opts);
    const space = env.actionSpace;
    const critic = model.critic;
    env.reset(seed);
    this.args = {
      config: env.config,
      state: env.state,
      tasks: env.tasks,
      elapsed: env.elapsed,
      rng: env.rng,
      obs: env.result.obs,
      steps: opts.numSteps,
      key: new Uint32Array(2),
      counter: 0,
      policySizes: model.actor.sizes,
      policyHidden: model.actor.hidden,
      policyParams: EMPTY_F32,
      logStd: EMPTY_F32,
      valueMode: critic ? 'separate' : 'head',
      ...(critic ? { valueSizes: critic.sizes, valueHidden: critic.hidden, valueParams: EMPTY_F32 } : {}),
      actionLow: space.type === 'box' ? space.low : EMPTY_F32,
      actionHigh: space.type === 'box' ? space.high : EMPTY_F32,
      obsStats: opts.obsRms?.data ?? EMPTY_F64,
      clipObs: opts.clipObs,
      trajObs: this.obs,
      actions: this.actions,
      logProbs: this.logp,
      heads: this.heads,
      values: this.values,
      rewards: this.rewards,
      terminated: this.terminated,
      truncated: this.truncated,
      finalValues: this.finalValues,
      lastValues: this.lastValues,
      episodeReturn: this.episodes.ret,
      episodeLength: this.episodes.len,
      doneReturn: this.doneReturn,
      doneLength: this.doneLength,
    };
  }

  protected runSteps(params: Float32Array, key: random.Key): void {
    const a = this.args;
    if (params !== this.boundParams) {
      const m = this.model;
      a.policyParams = m.actorParams(params);
      if (m.critic) a.valueParams = m.criticParams(params);
      a.logStd = m.logStd(params);
      this.boundParams = params;
    }
    a.key = key;
    this.env.checkUsable();
    getBackend().rolloutRun(a);
  }
}
