// Adapter from the addon to the rl kernels: the addon's functions as they are (native/napi/rl.cc).
import type { RlKernels } from '../kernels/rl.js';
import type { NativeAddon } from './addon.js';

export function nativeRlKernels(addon: NativeAddon): RlKernels {
  return {
    rlCategoricalObjective: addon.rlCategoricalObjective,
    rlGaussianObjective: addon.rlGaussianObjective,
    rlValueLoss: addon.rlValueLoss,
    rlCategoricalSample: addon.rlCategoricalSample,
    rlGaussianSample: addon.rlGaussianSample,
  };
}
