// js twins of the rollout kernels (native/core/rollout), one file per kernel, gathered here.
import type { RolloutKernels } from '../../kernels/rollout.js';

export const jsRolloutKernels: RolloutKernels = {};
