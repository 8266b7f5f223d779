// js twins of the optim kernels (native/core/optim), one file per kernel, gathered here.
import type { OptimKernels } from '../../kernels/optim.js';

export const jsOptimKernels: OptimKernels = {};
