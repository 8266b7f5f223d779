// js twins of the nn kernels (native/core/nn), one file per kernel, gathered here.
import type { NnKernels } from '../../kernels/nn.js';

export const jsNnKernels: NnKernels = {};
