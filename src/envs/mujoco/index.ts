// MuJoCo-backed envs: HalfCheetah-v5 / Ant-v5 and the meta-RL families HalfCheetahVel-v0, HalfCheetahDir-v0, AntDir-v0, AntGoal-v0.
import { checkInteger } from '../../util/check.js';
import { type MujocoMakeOptions, mujocoSpec } from './specs.js';
import { MujocoVectorEnv } from './vector_env.js';

export type { MujocoFacts } from '../../backend/kernels/mujoco.js';
export { MUJOCO_SNAPSHOT_FORMAT, type MujocoEnvSnapshot } from './snapshot.js';
export {
  MUJOCO_ENV_IDS,
  type MujocoEnvId,
  type MujocoEnvSpec,
  type MujocoMakeOptions,
  type MujocoStepFacts,
  mujocoSpec,
} from './specs.js';
export { MujocoVectorEnv, modelPath } from './vector_env.js';

/**
 * A vector env of `options.numEnvs` (default 1) MuJoCo envs `id`, seeded with `options.seed`
 * (default 0) and already reset. Throws an OuterloopError naming the install step when no MuJoCo
 * engine is available (the js backend has none).
 *
 * ```ts
 * const env = envs.makeMujoco('HalfCheetahVel-v0', { numEnvs: 20, variant: 'maml', seed: 0 });
 * ```
 */
export function makeMujoco(id: string, options: MujocoMakeOptions = {}): MujocoVectorEnv {
  const spec = mujocoSpec(id, options);
  const numEnvs = options.numEnvs ?? 1;
  checkInteger(numEnvs, 'options.numEnvs', 1, 2 ** 20);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'options.seed');
  return new MujocoVectorEnv(spec, numEnvs, seed);
}
