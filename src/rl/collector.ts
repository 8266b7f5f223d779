// Collects on-policy rollouts from a vector env for PPO and A2C: numSteps steps of every env,
// stored time-major [numSteps × numEnvs], with log-probs, values, GAE advantages and returns.
//
// - Actions are sampled from the current policy with the library's Philox streams (one draw of
//   uniforms or normals per rollout, keyed by the update index), so runs are reproducible.
// - Box actions are stored as sampled and clipped to the action bounds only when sent to the env
//   (Gymnasium's ClipAction), so log-probs stay those of the sampled action.
// - Truncation (time limit) bootstraps from V(finalObs): γ·V(finalObs) is added to that step's
//   reward before GAE; termination bootstraps 0.
// - Values are computed once per rollout for all stored observations in one batched call.

import { getBackend } from '../backend/index.js';
import type { VectorEnv } from '../envs/index.js';
import * as random from '../random/index.js';
import { EpisodeTracker, type EpisodeTrackerState } from './episodes.js';
import { type ActorCritic, ActorCriticWorkspace } from './model.js';
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

/** What a collector carries from one rollout to the next (copies), for resuming exactly. */
export interface CollectorState {
  /** The raw observations the next rollout starts from [numEnvs × obsDim]. */
  obs: Float32Array;
  episodes: EpisodeTrackerState;
  /** The reward scaler's packed state (undefined without reward normalization). */
  rewardScaler: Float64Array | undefined;
}

export class RolloutCollector {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly size: number;
  /** Policy inputs (normalized when obsRms is set) [numSteps × numEnvs × obsDim]. */
  readonly obs: Float32Array;
  /** Discrete actions [size] or box actions [size × dim]. */
  readonly actions: Int32Array | Float32Array;
  readonly logp: Float32Array;
  readonly values: Float32Array;
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

  private rawObs: Float32Array;
  private readonly current: Float32Array;
  private readonly step: ActorCriticWorkspace;
  private readonly all: ActorCriticWorkspace;
  private readonly envActions: Int32Array | Float32Array;
  private readonly stepLogp: Float32Array;
  private readonly stepActions: Int32Array | Float32Array;
  private readonly lastValues: Float32Array;
  private readonly low: Float32Array | undefined;
  private readonly high: Float32Array | undefined;
  /** (flat index, finalObs row) of truncated steps, bootstrapped after the rollout. */
  private truncIndex: number[] = [];
  private truncObs: number[] = [];

  constructor(
    readonly env: VectorEnv,
    readonly model: ActorCritic,
    readonly opts: CollectorOptions,
    seed: number,
  ) {
    this.numEnvs = env.numEnvs;
    this.obsDim = model.spec.obsDim;
    this.size = opts.numSteps * this.numEnvs;
    const a = model.spec.action;
    const dim = a.type === 'box' ? a.dim : 1;
    this.obs = new Float32Array(this.size * this.obsDim);
    this.actions = a.type === 'box' ? new Float32Array(this.size * dim) : new Int32Array(this.size);
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
    this.episodes = new EpisodeTracker(this.numEnvs);
    this.step = new ActorCriticWorkspace(model, this.numEnvs, false);
    this.all = new ActorCriticWorkspace(model, this.size, false);
    this.envActions = a.type === 'box' ? new Float32Array(this.numEnvs * dim) : new Int32Array(this.numEnvs);
    this.stepActions = a.type === 'box' ? new Float32Array(this.numEnvs * dim) : new Int32Array(this.numEnvs);
    this.stepLogp = new Float32Array(this.numEnvs);
    this.lastValues = new Float32Array(this.numEnvs);
    this.current = new Float32Array(this.numEnvs * this.obsDim);
    if (env.actionSpace.type === 'box') {
      this.low = env.actionSpace.low;
      this.high = env.actionSpace.high;
    }
    this.rawObs = env.reset(seed).slice();
  }

  /**
   * A copy of the state carried between rollouts. The env's own state is saved separately
   * (env.snapshot()); the observation statistics live in the policy.
   */
  saveState(): CollectorState {
    return {
      obs: this.rawObs.slice(),
      episodes: this.episodes.saveState(),
      rewardScaler: this.opts.rewardScaler?.saveState(),
    };
  }

  /** Restores `saveState()` of a collector with the same env, sizes and normalization. */
  restoreState(s: CollectorState): void {
    if (s.obs.length !== this.rawObs.length)
      throw new RangeError(`collector state: expected ${this.rawObs.length} observation floats, got ${s.obs.length}`);
    if ((s.rewardScaler === undefined) !== (this.opts.rewardScaler === undefined))
      throw new RangeError('collector state: reward normalization differs from the saved run');
    this.episodes.restoreState(s.episodes);
    if (s.rewardScaler && this.opts.rewardScaler) this.opts.rewardScaler.restoreState(s.rewardScaler);
    this.rawObs.set(s.obs);
  }

  /** Policy input for raw observations: normalized (and clipped) when obsRms is set. */
  private input(raw: Float32Array, rows: number, out: Float32Array): Float32Array {
    if (!this.opts.obsRms) {
      out.set(raw.subarray(0, rows * this.obsDim));
      return out;
    }
    this.opts.obsRms.normalize(raw, rows, out, this.opts.clipObs);
    return out;
  }

  /** Runs numSteps steps of every env with `params`, then computes values, advantages and returns. */
  collect(params: Float32Array, key: random.Key): void {
    const N = this.numEnvs;
    const D = this.obsDim;
    const T = this.opts.numSteps;
    const K = this.model.policyDim;
    const a = this.model.spec.action;
    const b = getBackend();
    const noise = a.type === 'discrete' ? random.uniform(key, this.size) : random.normal(key, this.size * a.dim);
    this.truncIndex = [];
    this.truncObs = [];

    for (let t = 0; t < T; t++) {
      const base = t * N;
      if (this.opts.obsRms) this.opts.obsRms.update(this.rawObs, N);
      const x = this.input(this.rawObs, N, this.current);
      this.obs.set(x, base * D);
      this.step.forward(params, x, N, false);
      this.heads.set(this.step.head, base * K);
      if (a.type === 'discrete') {
        const acts = this.stepActions as Int32Array;
        b.rlCategoricalSample(N, K, this.step.head, noise.subarray(base, base + N), acts, this.stepLogp);
        (this.actions as Int32Array).set(acts, base);
        (this.envActions as Int32Array).set(acts);
      } else {
        const acts = this.stepActions as Float32Array;
        const dim = a.dim;
        b.rlGaussianSample(
          N,
          dim,
          this.step.head,
          this.model.logStd(params),
          noise.subarray(base * dim, (base + N) * dim),
          acts,
          this.stepLogp,
        );
        (this.actions as Float32Array).set(acts, base * dim);
        const env = this.envActions as Float32Array;
        for (let i = 0; i < N * dim; i++) {
          const d = i % dim;
          const lo = (this.low as Float32Array)[d] as number;
          const hi = (this.high as Float32Array)[d] as number;
          const v = acts[i] as number;
          env[i] = v < lo ? lo : Math.min(v, hi);
        }
      }
      this.logp.set(this.stepLogp, base);

      const r = this.env.step(this.envActions);
      this.episodes.step(r.reward, r.terminated, r.truncated);
      const reward = this.rewards.subarray(base, base + N);
      reward.set(r.reward);
      this.terminated.set(r.terminated, base);
      this.truncated.set(r.truncated, base);
      for (let i = 0; i < N; i++) {
        const ended = r.terminated[i] || r.truncated[i];
        this.dones[base + i] = ended ? 1 : 0;
        if (r.truncated[i] && !r.terminated[i]) {
          this.truncIndex.push(base + i);
          for (let j = 0; j < D; j++) this.truncObs.push(r.finalObs[i * D + j] as number);
        }
      }
      if (this.opts.rewardScaler) this.opts.rewardScaler.scale(reward, this.dones.subarray(base, base + N));
      this.rawObs.set(r.obs);
    }

    // Values of every stored observation and of the observation after the last step.
    this.all.valuesOnly(params, this.obs, this.size);
    this.values.set(this.all.values);
    this.step.valuesOnly(params, this.input(this.rawObs, N, this.current), N);
    this.lastValues.set(this.step.values.subarray(0, N));
    this.bootstrapTruncations(params);
    // The rollout family's GAE kernel: no bootstrap where terminated, V(finalObs) where truncated.
    b.gae(
      T,
      N,
      this.rewards,
      this.values,
      this.terminated,
      this.truncated,
      this.finalValues,
      this.lastValues,
      this.opts.gamma,
      this.opts.gaeLambda,
      this.advantages,
      this.returns,
    );
  }

  private bootstrapTruncations(params: Float32Array): void {
    this.finalValues.fill(0);
    const n = this.truncIndex.length;
    if (n === 0) return;
    const raw = Float32Array.from(this.truncObs);
    const x = this.input(raw, n, new Float32Array(raw.length));
    const ws = new ActorCriticWorkspace(this.model, n, false);
    // With reward normalization the critic predicts in scaled units, as the stored rewards are.
    const v = ws.valuesOnly(params, x, n);
    for (let j = 0; j < n; j++) this.finalValues[this.truncIndex[j] as number] = v[j] as number;
  }
}
