// js twins of the es kernels (native/core/es), one file per kernel, gathered here.
import type { EsKernels } from '../../kernels/es.js';

export const jsEsKernels: EsKernels = {};
