/**
 * Batched environment kernels over caller-owned buffers (layout in native/core/envs/env.h).
 *
 * For n envs of one kind: `config` Int32Array [kind, maxEpisodeSteps, p0, p1]; `state` Float32Array
 * [stateDim × n] (component-major); `tasks` Float32Array [n × taskDim]; `elapsed` Int32Array [n];
 * `rng` Uint32Array [n × 4] (row key, 64-bit draw counter). Steps autoreset rows that ended in the
 * same call; `finalObs` gets every row's pre-reset observation.
 */
declare const envBindingBrand: unique symbol;
/**
 * An env's buffers checked once by `envBind`, to be stepped by `envStepBound` (native: an opaque
 * handle; js: an object of the twin). The config is read at bind time. Keep the arrays referenced
 * while you step: the native handle holds them weakly, and steps after they were collected throw.
 */
export interface EnvBinding {
  readonly [envBindingBrand]: true;
}

export interface EnvKernels {
  /** Writes [stateDim, obsDim, actionDim, taskDim, numDiscreteActions (0: box)] into out. */
  envDims(config: Int32Array, out: Int32Array): void;
  /** Row streams: key_i = fold(key, i), counter 0. */
  envSeed(key: Uint32Array, rng: Uint32Array): void;
  /** Resets every row (elapsed 0, new state from its stream) and writes obs. */
  envReset(
    config: Int32Array,
    state: Float32Array,
    tasks: Float32Array,
    elapsed: Int32Array,
    rng: Uint32Array,
    obs: Float32Array,
  ): void;
  /**
   * One step of every row with same-step autoreset. Discrete actions are an Int32Array [n] in
   * [0, numActions); box actions a Float32Array [n × actionDim] without NaN (RangeError otherwise).
   */
  envStep(
    config: Int32Array,
    state: Float32Array,
    tasks: Float32Array,
    elapsed: Int32Array,
    rng: Uint32Array,
    actions: Int32Array | Float32Array,
    obs: Float32Array,
    reward: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    finalObs: Float32Array,
  ): void;
  /**
   * Checks the buffers of `envStep` (all but the actions) once and returns a binding for
   * `envStepBound`. Throws like `envStep` on bad buffers.
   */
  envBind(
    config: Int32Array,
    state: Float32Array,
    tasks: Float32Array,
    elapsed: Int32Array,
    rng: Uint32Array,
    obs: Float32Array,
    reward: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    finalObs: Float32Array,
  ): EnvBinding;
  /**
   * `envStep` on a binding's buffers; only the actions are checked. TypeError when `binding` was
   * not made by this backend's `envBind`, or when a bound buffer was detached or resized since.
   */
  envStepBound(binding: EnvBinding, actions: Int32Array | Float32Array): void;
  /** out.length / taskDim tasks; task j is drawn from the stream fold(key, j). */
  envSampleTasks(config: Int32Array, key: Uint32Array, out: Float32Array): void;
}
