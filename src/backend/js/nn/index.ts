// js twins of the nn kernels (native/core/nn), gathered here. They trust their arguments: the
// checks live in the public module (src/nn) and, for native, in native/napi/nn.cc.
import type { NnKernels } from '../../kernels/nn.js';
import * as mlp from './mlp.js';

export const jsNnKernels: NnKernels = {
  mlpForward: mlp.mlpForward,
  mlpForwardTape: mlp.mlpForwardTape,
  mlpBackwardTape: mlp.mlpBackwardTape,
  mlpVjp: mlp.mlpVjp,
  mlpJvp: mlp.mlpJvp,
  mlpForwardTangentTape: mlp.mlpForwardTangentTape,
  mlpHvpBackwardTape: mlp.mlpHvpBackwardTape,
  mlpForwardBatched: mlp.mlpForwardBatched,
  mlpVjpBatched: mlp.mlpVjpBatched,
};
