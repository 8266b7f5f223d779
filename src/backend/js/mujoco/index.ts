// js twins of the mujoco kernels (native/napi/mujoco.cc). There is no physics engine in
// TypeScript: the status says so and every other twin throws an OuterloopError naming the way to
// get one. Arities match the native table (test/kernel_table.test.ts).
import { OuterloopError } from '../../../errors.js';
import type { MujocoKernels } from '../../kernels/mujoco.js';

// The message every js twin gives: how to get a MuJoCo engine (not exported: the js backend spreads this module).
const NO_ENGINE_JS =
  'the js backend has no physics engine: MuJoCo envs need the native addon (`npm run build:native`) ' +
  'built with the MuJoCo headers (`apt-get install libmujoco-dev`) and, at run time, libmujoco 2.2.2 ' +
  '(`apt-get install libmujoco2.2.2`, or OUTERLOOP_MUJOCO_LIB=/path/to/libmujoco.so)';

function noEngine(): never {
  throw new OuterloopError(`outerloop: ${NO_ENGINE_JS}`);
}

export const mujocoEngine: MujocoKernels['mujocoEngine'] = (libPath) => ({
  compiled: false,
  header: null,
  version: null,
  path: libPath,
  error: NO_ENGINE_JS,
});
export const mujocoOpen: MujocoKernels['mujocoOpen'] = (_xmlPath, _rows) => noEngine();
export const mujocoFacts: MujocoKernels['mujocoFacts'] = (_sim) => noEngine();
export const mujocoSetState: MujocoKernels['mujocoSetState'] = (_sim, _row, _qpos, _qvel) => noEngine();
export const mujocoStep: MujocoKernels['mujocoStep'] = (_sim, _ctrl, _frameSkip, _qpos, _qvel) => noEngine();
export const mujocoContactForces: MujocoKernels['mujocoContactForces'] = (_sim, _out) => noEngine();
export const mujocoGetState: MujocoKernels['mujocoGetState'] = (_sim, _out) => noEngine();
export const mujocoSetFullState: MujocoKernels['mujocoSetFullState'] = (_sim, _state) => noEngine();
