/**
 * The public `envs` namespace: Gymnasium-style vector environments with same-step autoreset,
 * per-env meta-RL tasks and per-env counter-based random streams.
 *
 * @module
 */
import { checkInteger } from '../util/check.js';
import { type EnvSpec, list, type MakeOptions, spec } from './specs.js';
import { VectorEnv } from './vector_env.js';

export * from './mujoco/index.js';
export type { BoxSpace, DiscreteSpace, Space } from './spaces.js';
export type { EnvSpec, MakeOptions } from './specs.js';
export type { EnvSnapshot, StepResult } from './vector_env.js';
export { list, spec, VectorEnv };

/**
 * A vector env of `options.numEnvs` (default 1) copies of `id`, seeded with `options.seed`
 * (default 0) and already reset: `env.obs` holds the first observations.
 *
 * ```ts
 * const env = envs.make('CartPole-v1', { numEnvs: 1024, seed: 0 });
 * const { obs, reward, terminated, truncated, finalObs } = env.step(actions);
 * ```
 */
export function make(id: string, options: MakeOptions = {}): VectorEnv {
  const s: EnvSpec = spec(id, options);
  const numEnvs = options.numEnvs ?? 1;
  checkInteger(numEnvs, 'options.numEnvs', 1, 2 ** 24);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'options.seed');
  return new VectorEnv(s, numEnvs, seed);
}
