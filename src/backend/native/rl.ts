// Adapter from the addon to the rl kernels: the addon's functions as they are (native/napi/rl.cc).
import type { RlKernels } from '../kernels/rl.js';
import type { NativeAddon } from './addon.js';

/** The rl kernels of the addon, or undefined when this build of the addon lacks them. */
export function nativeRlKernels(addon: NativeAddon): RlKernels | undefined {
  const a = addon as Partial<RlKernels>;
  if (typeof a.rlCategoricalObjective !== 'function') return undefined;
  return {
    rlCategoricalObjective: a.rlCategoricalObjective,
    rlGaussianObjective: a.rlGaussianObjective as RlKernels['rlGaussianObjective'],
    rlValueLoss: a.rlValueLoss as RlKernels['rlValueLoss'],
    rlCategoricalSample: a.rlCategoricalSample as RlKernels['rlCategoricalSample'],
    rlGaussianSample: a.rlGaussianSample as RlKernels['rlGaussianSample'],
  };
}
