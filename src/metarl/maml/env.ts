// The vector-env surface metaRl.maml steps, and its factory. The built-in kernel envs
// (envs.make: Navigation2D-v0, PointRobot-v0, Bandit-v0, TabularMDP-v0) and the MuJoCo task
// families (envs.makeMujoco: HalfCheetahVel-v0, HalfCheetahDir-v0) are different classes with
// the same per-row-task API; MAML reads only the members below, so either serves.
import { make } from '../../envs/index.js';
import { MUJOCO_ENV_IDS, type MujocoMakeOptions, makeMujoco, mujocoSpec } from '../../envs/mujoco/index.js';
import type { Space } from '../../envs/spaces.js';
import { spec as envSpec, type MakeOptions } from '../../envs/specs.js';
import type { StepResult } from '../../envs/vector_env.js';
import { OuterloopError } from '../../errors.js';
import type { Key } from '../../random/index.js';

/** What metaRl.maml needs of a vector env with per-row tasks. */
export interface MetaEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly taskDim: number;
  readonly actionSpace: Space;
  readonly spec: { readonly maxEpisodeSteps: number };
  reset(seed?: number): Float32Array;
  step(actions: Float32Array | Int32Array): StepResult;
  setTasks(tasks: Float32Array): void;
  getTasks(): Float32Array;
  sampleTasks(key: Key, n?: number): Float32Array;
  close(): void;
}

/** Env options other than numEnvs and seed: those of envs.make, or of envs.makeMujoco (variant). */
export type MetaEnvOptions = Omit<MakeOptions & MujocoMakeOptions, 'numEnvs' | 'seed'>;

/**
 * The oracle's view of an env: each row's task appended to its observation (obsDim + taskDim
 * floats), so a policy can condition on the task instead of inferring it — the upper reference
 * for adaptation (Finn et al. 2017's "oracle" curves). Everything else passes through.
 */
export class TaskObservingEnv implements MetaEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly taskDim: number;
  readonly actionSpace: Space;
  readonly spec: { readonly maxEpisodeSteps: number };
  private readonly tasks: Float32Array;
  private readonly obsBuf: Float32Array;
  private readonly finalBuf: Float32Array;

  constructor(private readonly inner: MetaEnv) {
    this.numEnvs = inner.numEnvs;
    this.obsDim = inner.obsDim + inner.taskDim;
    this.actionDim = inner.actionDim;
    this.taskDim = inner.taskDim;
    this.actionSpace = inner.actionSpace;
    this.spec = inner.spec;
    this.tasks = inner.getTasks();
    this.obsBuf = new Float32Array(this.numEnvs * this.obsDim);
    this.finalBuf = new Float32Array(this.numEnvs * this.obsDim);
  }

  private augment(obs: Float32Array, out: Float32Array): Float32Array {
    const od = this.inner.obsDim;
    const td = this.taskDim;
    for (let i = 0; i < this.numEnvs; i++) {
      out.set(obs.subarray(i * od, (i + 1) * od), i * this.obsDim);
      out.set(this.tasks.subarray(i * td, (i + 1) * td), i * this.obsDim + od);
    }
    return out;
  }

  reset(seed?: number): Float32Array {
    return this.augment(this.inner.reset(seed), this.obsBuf);
  }

  step(actions: Float32Array | Int32Array): StepResult {
    const r = this.inner.step(actions);
    return { ...r, obs: this.augment(r.obs, this.obsBuf), finalObs: this.augment(r.finalObs, this.finalBuf) };
  }

  setTasks(tasks: Float32Array): void {
    this.inner.setTasks(tasks);
    this.tasks.set(tasks);
  }

  getTasks(): Float32Array {
    return this.tasks.slice();
  }

  sampleTasks(key: Key, n?: number): Float32Array {
    return this.inner.sampleTasks(key, n);
  }

  close(): void {
    this.inner.close();
  }
}

/** True for the ids envs.makeMujoco creates. */
export const isMujocoId = (id: string): boolean => (MUJOCO_ENV_IDS as readonly string[]).includes(id);

/** The facts the config check reads: task width and action-space kind. */
export function metaEnvFacts(id: string, options: MetaEnvOptions): { taskDim: number; actionType: string } {
  if (isMujocoId(id)) {
    const s = mujocoSpec(id, options);
    return { taskDim: s.taskDim, actionType: 'box' };
  }
  const s = envSpec(id, options);
  return { taskDim: s.taskDim, actionType: s.actionSpace.type };
}

/**
 * A vector env of `rows` rows of `id` (seed 0; rows take their tasks per batch), seen through
 * TaskObservingEnv when `observeTask`. MuJoCo ids need the native engine: without it the error
 * names the function, the env and the install step.
 */
export function makeMetaEnv(
  id: string,
  options: MetaEnvOptions,
  rows: number,
  fn: string,
  observeTask = false,
): MetaEnv {
  if (observeTask) return new TaskObservingEnv(makeMetaEnv(id, options, rows, fn));
  if (!isMujocoId(id)) return make(id, { ...options, numEnvs: rows, seed: 0 });
  try {
    return makeMujoco(id, { ...options, numEnvs: rows, seed: 0 });
  } catch (e) {
    if (e instanceof OuterloopError) throw new OuterloopError(`${fn}: env: ${e.message}`);
    throw e;
  }
}
