/**
 * Rollout kernels: batched policy rollouts through a vector env, and GAE (native/core/rollout).
 * Buffers are time-major [T × N (× dim)].
 */

/** Everything one rollout call reads and writes (see native/core/rollout/rollout.h). */
export interface RolloutArgs {
  // the env, stepped in place (layout in kernels/envs.ts)
  config: Int32Array;
  state: Float32Array;
  tasks: Float32Array;
  elapsed: Int32Array;
  rng: Uint32Array;
  /** [N × obsDim] the env's current observations, updated in place. */
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
  /** 0: no value, 1: value head (the policy's last output), 2: separate value net. */
  valueMode: number;
  valueSizes?: Int32Array;
  valueHidden?: number;
  valueParams?: Float32Array;
  // outputs
  trajObs: Float32Array;
  actions: Int32Array | Float32Array;
  logProbs: Float32Array;
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

export interface RolloutKernels {
  /** Runs `steps` steps of forward → sample → env step → store for every env row. */
  rolloutRun(args: RolloutArgs): void;
  /**
   * `rolloutRun` on a worker thread. `args` must be frozen (Object.freeze) and no buffer in it,
   * the env's included, may be touched until the promise settles.
   */
  rolloutRunAsync(args: Readonly<RolloutArgs>): Promise<void>;
  /**
   * GAE over [T × N]: no bootstrap where terminated; bootstrap from finalValues where truncated;
   * lastValues after the last step. advantages / returns (= advantages + values) may be null.
   */
  gae(
    T: number,
    N: number,
    rewards: Float32Array,
    values: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    finalValues: Float32Array,
    lastValues: Float32Array,
    gamma: number,
    lambda: number,
    advantages: Float32Array | null,
    returns: Float32Array | null,
  ): void;
}
