// Adapter from the addon to the nn kernels: the addon's functions as they are (they check their
// own arguments in native/napi/nn.cc).
import type { NnKernels } from '../kernels/nn.js';
import type { NativeAddon } from './addon.js';

export function nativeNnKernels(addon: NativeAddon): NnKernels {
  return {
    mlpForward: addon.mlpForward,
    mlpForwardTape: addon.mlpForwardTape,
    mlpBackwardTape: addon.mlpBackwardTape,
    mlpVjp: addon.mlpVjp,
    mlpJvp: addon.mlpJvp,
    mlpForwardTangentTape: addon.mlpForwardTangentTape,
    mlpHvpBackwardTape: addon.mlpHvpBackwardTape,
    mlpForwardBatched: addon.mlpForwardBatched,
    mlpVjpBatched: addon.mlpVjpBatched,
  };
}
