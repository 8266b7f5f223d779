// js twins of the envs kernels (native/core/envs), one file per kernel, gathered here.
import type { EnvKernels } from '../../kernels/envs.js';

export const jsEnvKernels: EnvKernels = {};
