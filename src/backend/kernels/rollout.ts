/**
 * Rollout kernels: batched policy rollouts through a vector env, and GAE (native/core/rollout).
 * Buffers are time-major [T × N (× dim)]. An optional buffer is passed empty when absent.
 */

/** Where a rollout's values come from: none, the policy's last output column, or a separate net. */
export type RolloutValueMode = 'none' | 'head' | 'separate';

/** Everything one rollout call reads and writes (see native/core/rollout/rollout.h). */
export interface RolloutArgs {
  // the env, stepped in place (layout in kernels/envs.ts)
  config: Int32Array;
  state: Float32Array;
  tasks: Float32Array;
  elapsed: Int32Array;
  rng: Uint32Array;
  /** [N × obsDim] the env's current (raw) observations, updated in place. */
  obs: Float32Array;
  /** T, the number of steps. */
  steps: number;
  /** Action-sampling stream: row i at step t uses blocks counter + t·B.. of fold(key, i). */
  key: Uint32Array;
  counter: number;
  /** Policy MLP widths [obsDim, ..., heads]; heads = numActions | actionDim, +1 with a value head. */
  policySizes: Int32Array;
  /** Hidden activation code (nn ActivationCode); the output layer is linear. */
  policyHidden: number;
  policyParams: Float32Array;
  /** [actionDim] state-independent log-std for box actions (empty for discrete). */
  logStd: Float32Array;
  valueMode: RolloutValueMode;
  /** The value net obsDim → 1 (read only with valueMode 'separate'). */
  valueSizes?: Int32Array;
  valueHidden?: number;
  valueParams?: Float32Array;
  /**
   * [actionDim] each: the box the actions sent to the env are clipped to (Gymnasium's
   * ClipAction); the stored actions and their log-probs stay those of the sample. Empty: sent as sampled.
   */
  actionLow: Float32Array;
  actionHigh: Float32Array;
  /**
   * Running observation statistics [count, mean[obsDim], var[obsDim]] (Gymnasium's
   * NormalizeObservation), updated in place: before each step every row's observation is folded
   * in, then the policy sees clip((obs − mean) / √(var + 1e-8), ±clipObs). Empty: raw observations.
   */
  obsStats: Float64Array;
  /** The normalized observations' bound (read only with obsStats). */
  clipObs: number;
  // outputs
  /** [T × N × obsDim] the policy input each action was taken from (normalized with obsStats). */
  trajObs: Float32Array;
  actions: Int32Array | Float32Array;
  logProbs: Float32Array;
  /** [T × N × (numActions | actionDim)] the policy-head outputs (logits or means); empty: not stored. */
  heads: Float32Array;
  values: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  finalValues: Float32Array;
  lastValues: Float32Array;
  episodeReturn: Float32Array;
  episodeLength: Int32Array;
  doneReturn: Float32Array;
  doneLength: Int32Array;
}

/** GAE's scalars. */
export interface GaeScalars {
  gamma: number;
  lambda: number;
}

export interface RolloutKernels {
  /** Runs `steps` steps of forward → sample → env step → store for every env row. */
  rolloutRun(args: RolloutArgs): void;
  /**
   * `rolloutRun` on a worker thread. `args` must be frozen (Object.freeze) and no buffer in it,
   * the env's included, may be touched until the promise settles.
   */
  rolloutRunAsync(args: Readonly<RolloutArgs>): Promise<void>;
  /**
   * GAE over [T × N] with N = lastValues.length: no bootstrap where terminated; bootstrap from
   * finalValues where truncated; lastValues after the last step. Writes advantages and returns
   * (= advantages + values); either may be empty (not written).
   */
  gae(
    rewards: Float32Array,
    values: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    finalValues: Float32Array,
    lastValues: Float32Array,
    advantages: Float32Array,
    returns: Float32Array,
    s: GaeScalars,
  ): void;
}
