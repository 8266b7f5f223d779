// js twins of the rollout kernels (native/core/rollout), one file per kernel, gathered here.
// Argument checks live in the public module (src/rollout) for this backend; the native glue
// checks its own.
import type { RolloutKernels } from '../../kernels/rollout.js';
import { gae } from './gae.js';
import { rolloutRun } from './rollout.js';

export const jsRolloutKernels: RolloutKernels = {
  rolloutRun,
  rolloutRunAsync: async (args) => rolloutRun(args),
  gae,
};
