// Batched environment kernels over caller-owned buffers (layout in native/core/envs/env.h).
//
// For n envs of one kind: `config` Int32Array [kind, maxEpisodeSteps, p0, p1]; `state` Float32Array
// [stateDim × n] (component-major); `tasks` Float32Array [n × taskDim]; `elapsed` Int32Array [n];
// `rng` Uint32Array [n × 4] (row key, 64-bit draw counter). Steps autoreset rows that ended in the
// same call; `finalObs` gets every row's pre-reset observation.

/**
 * Every environment id in kernel-config order: `config[0]` is the position of the env's id here.
 * native/core/envs/kinds.h lists the same ids in the same order (test/envs_kinds.test.ts checks
 * it), and each js twin names its id, so the list is the one place a kind number comes from.
 */
export const ENV_KINDS = [
  'CartPole-v1',
  'Acrobot-v1',
  'MountainCar-v0',
  'MountainCarContinuous-v0',
  'Pendulum-v1',
  'Bandit-v0',
  'TabularMDP-v0',
  'Navigation2D-v0',
  'PointRobot-v0',
  'Catch-v0',
  'TwoColorGrid-v0',
  'Snake-v0',
] as const;

/** A registered environment id. */
export type EnvId = (typeof ENV_KINDS)[number];

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
