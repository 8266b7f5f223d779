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
  sampleTasks(key: Key, n?: number): Float32Array;
  close(): void;
}

/** Env options other than numEnvs and seed: those of envs.make, or of envs.makeMujoco (variant). */
export type MetaEnvOptions = Omit<MakeOptions & MujocoMakeOptions, 'numEnvs' | 'seed'>;

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
 * A vector env of `rows` rows of `id` (seed 0; rows take their tasks per batch). MuJoCo ids need
 * the native engine: without it the error names the function, the env and the install step.
 */
export function makeMetaEnv(id: string, options: MetaEnvOptions, rows: number, fn: string): MetaEnv {
  if (!isMujocoId(id)) return make(id, { ...options, numEnvs: rows, seed: 0 });
  try {
    return makeMujoco(id, { ...options, numEnvs: rows, seed: 0 });
  } catch (e) {
    if (e instanceof OuterloopError) throw new OuterloopError(`${fn}: env: ${e.message}`);
    throw e;
  }
}
