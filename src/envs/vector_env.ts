// A batch of environments of one kind, stepped in one kernel call, Gymnasium-style.
import { getBackend } from '../backend/index.js';
import type { EnvBinding } from '../backend/kernels/envs.js';
import type { Backend } from '../backend/types.js';
import { OuterloopError } from '../errors.js';
import { type Key, key as makeKey, split } from '../random/index.js';
import { checkFloat32, checkInt32, checkInteger, checkUint32 } from '../util/check.js';
import type { Space } from './spaces.js';
import type { EnvSpec } from './specs.js';

/**
 * What `step` returns. The arrays of `VectorEnv.step` are views into buffers the env owns and
 * overwrites on its next `step` or `reset`: copy what you keep (or call `stepCopy`).
 */
export interface StepResult {
  /** Shape [numEnvs × obsDim]: the next observation; for rows that ended, the first one of their new episode. */
  obs: Float32Array;
  /** [numEnvs] */
  reward: Float32Array;
  /** [numEnvs] 1 where the episode reached a terminal state (no bootstrapping). */
  terminated: Uint8Array;
  /** [numEnvs] 1 where the step limit cut the episode (bootstrap from finalObs). */
  truncated: Uint8Array;
  /** Shape [numEnvs × obsDim]: the observation each row reached before any reset (equals obs for rows that did not end). */
  finalObs: Float32Array;
}

/** A checkpoint of a vector env: every buffer that determines its future. */
export interface EnvSnapshot {
  id: string;
  numEnvs: number;
  config: Int32Array;
  state: Float32Array;
  tasks: Float32Array;
  elapsed: Int32Array;
  rng: Uint32Array;
  obs: Float32Array;
}

// The largest buffer slab a vector env allocates.
const MAX_ENV_BYTES = 2 ** 32;

/** numEnvs environments of one kind with same-step autoreset and per-env tasks. */
export class VectorEnv {
  /** The environment id, e.g. 'CartPole-v1'. */
  readonly id: string;
  readonly numEnvs: number;
  readonly spec: EnvSpec;
  /** One env's observation space. */
  readonly observationSpace: Space & { type: 'box' };
  /** One env's action space. */
  readonly actionSpace: Space;
  /** Floats per observation row. */
  readonly obsDim: number;
  /** Floats per action row for box actions; 1 for discrete. */
  readonly actionDim: number;
  /** Floats per task row (0: no tasks). */
  readonly taskDim: number;

  // Kernel buffers (layout in native/core/envs/env.h). @internal
  readonly config: Int32Array;
  readonly state: Float32Array;
  readonly tasks: Float32Array;
  readonly elapsed: Int32Array;
  readonly rng: Uint32Array;
  readonly result: StepResult;
  /** Running return and length of each row's current episode, kept by rollouts. @internal */
  readonly episodeReturn: Float32Array;
  /** @internal */
  readonly episodeLength: Int32Array;
  /** Set while an async rollout owns the buffers. @internal */
  busy = false;
  private closed = false;
  // The buffers checked once for stepping (envBind), and the backend that checked them.
  private binding: EnvBinding | undefined;
  private boundBackend: Backend | undefined;

  constructor(spec: EnvSpec, numEnvs: number, seed: number) {
    this.id = spec.id;
    this.spec = spec;
    this.numEnvs = numEnvs;
    this.observationSpace = spec.observationSpace;
    this.actionSpace = spec.actionSpace;
    this.config = spec.config;
    const dims = new Int32Array(5);
    getBackend().envDims(this.config, dims);
    const [stateDim, obsDim, actionDim, taskDim] = dims as unknown as [number, number, number, number];
    this.obsDim = obsDim;
    this.actionDim = actionDim;
    this.taskDim = taskDim;
    const bytes = numEnvs * (4 * (stateDim + taskDim + 2 * obsDim) + 4 + 16 + 4 + 2);
    if (bytes > MAX_ENV_BYTES)
      throw new RangeError(
        `options.numEnvs: ${numEnvs} × ${spec.id} need ${(bytes / 2 ** 30).toFixed(1)} GiB of env buffers, more than the ${MAX_ENV_BYTES / 2 ** 30} GiB limit`,
      );
    // All kernel buffers share one ArrayBuffer (each at a 64-byte boundary), so a bound step
    // checks one buffer for detachment instead of nine.
    const slab = new Slab([
      4 * stateDim * numEnvs,
      4 * taskDim * numEnvs,
      4 * numEnvs,
      16 * numEnvs,
      4 * obsDim * numEnvs,
      4 * numEnvs,
      numEnvs,
      numEnvs,
      4 * obsDim * numEnvs,
    ]);
    this.state = new Float32Array(slab.buffer, slab.offsets[0], stateDim * numEnvs);
    this.tasks = new Float32Array(slab.buffer, slab.offsets[1], taskDim * numEnvs);
    this.elapsed = new Int32Array(slab.buffer, slab.offsets[2], numEnvs);
    this.rng = new Uint32Array(slab.buffer, slab.offsets[3], 4 * numEnvs);
    this.episodeReturn = new Float32Array(numEnvs);
    this.episodeLength = new Int32Array(numEnvs);
    this.result = {
      obs: new Float32Array(slab.buffer, slab.offsets[4], obsDim * numEnvs),
      reward: new Float32Array(slab.buffer, slab.offsets[5], numEnvs),
      terminated: new Uint8Array(slab.buffer, slab.offsets[6], numEnvs),
      truncated: new Uint8Array(slab.buffer, slab.offsets[7], numEnvs),
      finalObs: new Float32Array(slab.buffer, slab.offsets[8], obsDim * numEnvs),
    };
    const [rowKey, taskKey] = split(makeKey(seed), 2) as [Key, Key];
    if (taskDim > 0) getBackend().envSampleTasks(this.config, taskKey, this.tasks);
    getBackend().envSeed(rowKey, this.rng);
    this.resetRows();
  }

  private live(): void {
    if (this.closed) throw new OuterloopError(`${this.id}: the env was closed`);
    if (this.busy) throw new OuterloopError(`${this.id}: an async rollout is using this env; await it first`);
  }

  /** Throws when the env is closed or busy. @internal */
  checkUsable(): void {
    this.live();
  }

  private resetRows(): void {
    getBackend().envReset(this.config, this.state, this.tasks, this.elapsed, this.rng, this.result.obs);
    this.result.finalObs.set(this.result.obs);
    this.result.reward.fill(0);
    this.result.terminated.fill(0);
    this.result.truncated.fill(0);
    this.episodeReturn.fill(0);
    this.episodeLength.fill(0);
  }

  /**
   * Starts a new episode in every env and returns the observations [numEnvs × obsDim] (a view,
   * overwritten by the next step). With a seed, every row's stream restarts from it (row i uses
   * fold(split(key(seed))[0], i)); without one, rows continue their streams. Tasks are kept.
   */
  reset(seed?: number): Float32Array {
    this.live();
    if (seed !== undefined) {
      const [rowKey] = split(makeKey(seed), 2) as [Key, Key];
      getBackend().envSeed(rowKey, this.rng);
    }
    this.resetRows();
    return this.result.obs;
  }

  /**
   * Steps every env once. Discrete actions: an Int32Array [numEnvs] in [0, n); box actions: a
   * Float32Array [numEnvs × actionDim], clipped to the action box where the dynamics use them
   * (Gymnasium's rule; MountainCarContinuous charges its energy cost on the unclipped action).
   * NaN actions and out-of-range discrete actions are rejected with a RangeError before any env
   * moves. Rows that end are reset in the same step (see StepResult). The result's arrays are
   * views overwritten by the next call; use `stepCopy` to keep them. The env's buffers are checked
   * once (a binding) rather than on every step; detaching them (transferring `env.state.buffer`)
   * makes later steps throw a TypeError.
   */
  step(actions: Int32Array | Float32Array): StepResult {
    this.live();
    if (this.actionSpace.type === 'discrete') checkInt32(actions, 'actions', this.numEnvs);
    else checkFloat32(actions, 'actions', this.numEnvs * this.actionDim);
    this.bound().envStepBound(this.binding as EnvBinding, actions);
    return this.result;
  }

  // The current backend, with this env's buffers bound to it (bound again after a backend switch).
  private bound(): Backend {
    const b = getBackend();
    if (this.boundBackend !== b || this.binding === undefined) {
      const r = this.result;
      this.binding = b.envBind(
        this.config,
        this.state,
        this.tasks,
        this.elapsed,
        this.rng,
        r.obs,
        r.reward,
        r.terminated,
        r.truncated,
        r.finalObs,
      );
      this.boundBackend = b;
    }
    return b;
  }

  /** `step`, returning fresh copies the env will not overwrite. */
  stepCopy(actions: Int32Array | Float32Array): StepResult {
    const r = this.step(actions);
    return {
      obs: r.obs.slice(),
      reward: r.reward.slice(),
      terminated: r.terminated.slice(),
      truncated: r.truncated.slice(),
      finalObs: r.finalObs.slice(),
    };
  }

  /** The current observations (a view, overwritten by the next step). */
  get obs(): Float32Array {
    return this.result.obs;
  }

  /**
   * n tasks from the env's task distribution, [n × taskDim] (task j drawn from fold(key, j)).
   * Envs without a task distribution return an empty array.
   */
  sampleTasks(key: Key, n: number = this.numEnvs): Float32Array {
    checkUint32(key, 'key', 2);
    // Bounded so that n × taskDim floats always fit one typed array.
    checkInteger(n, 'n', 1, Math.floor(2 ** 30 / Math.max(1, this.taskDim)));
    const out = new Float32Array(this.taskDim * n);
    getBackend().envSampleTasks(this.config, key, out);
    return out;
  }

  /**
   * Sets every env's task, [numEnvs × taskDim] (layout in spec.taskLayout). A task sticks to its
   * env across autoresets until set again; it takes effect from the next step, without a reset.
   */
  setTasks(tasks: Float32Array): void {
    this.live();
    checkFloat32(tasks, 'tasks', this.numEnvs * this.taskDim);
    for (let row = 0; row < this.numEnvs && this.taskDim > 0; row++) this.spec.checkTask(tasks, row, 'tasks');
    this.tasks.set(tasks);
  }

  /** A copy of every env's task, [numEnvs × taskDim]. */
  getTasks(): Float32Array {
    return this.tasks.slice();
  }

  /** A copy of everything that determines the env's future (restore with `setSnapshot`). */
  snapshot(): EnvSnapshot {
    this.live();
    return {
      id: this.id,
      numEnvs: this.numEnvs,
      config: this.config.slice(),
      state: this.state.slice(),
      tasks: this.tasks.slice(),
      elapsed: this.elapsed.slice(),
      rng: this.rng.slice(),
      obs: this.result.obs.slice(),
    };
  }

  /** Restores a snapshot of an env with the same id, options and numEnvs. */
  restore(s: EnvSnapshot): void {
    this.live();
    if (typeof s !== 'object' || s === null) throw new TypeError('snapshot: expected an object from env.snapshot()');
    checkInt32(s.config, 'snapshot.config', 4);
    if (s.id !== this.id || s.numEnvs !== this.numEnvs || s.config.some((v, i) => v !== this.config[i]))
      throw new RangeError(`snapshot: taken from a different env (${s.id} × ${s.numEnvs})`);
    checkFloat32(s.state, 'snapshot.state', this.state.length);
    checkFloat32(s.tasks, 'snapshot.tasks', this.tasks.length);
    checkInt32(s.elapsed, 'snapshot.elapsed', this.numEnvs);
    checkUint32(s.rng, 'snapshot.rng', this.rng.length);
    checkFloat32(s.obs, 'snapshot.obs', this.result.obs.length);
    for (let row = 0; row < this.numEnvs && this.taskDim > 0; row++)
      this.spec.checkTask(s.tasks, row, 'snapshot.tasks');
    this.state.set(s.state);
    this.tasks.set(s.tasks);
    this.elapsed.set(s.elapsed);
    this.rng.set(s.rng);
    this.result.obs.set(s.obs);
  }

  /** Releases the env; any later call throws. */
  close(): void {
    this.closed = true;
    this.binding = undefined;
    this.boundBackend = undefined;
  }

  /** True after close(). */
  get isClosed(): boolean {
    return this.closed;
  }
}

/** Byte offsets of consecutive regions of one ArrayBuffer, each starting at a 64-byte boundary. */
class Slab {
  readonly buffer: ArrayBuffer;
  readonly offsets: number[] = [];
  constructor(byteLengths: number[]) {
    let end = 0;
    for (const len of byteLengths) {
      this.offsets.push(end);
      end += Math.ceil(len / 64) * 64;
    }
    this.buffer = new ArrayBuffer(end);
  }
}
