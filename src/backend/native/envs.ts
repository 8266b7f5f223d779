// Adapter from the addon to the envs kernels: the addon's functions as they are.
import type { EnvKernels } from '../kernels/envs.js';
import type { NativeAddon } from './addon.js';

export function nativeEnvKernels(addon: NativeAddon): EnvKernels {
  return {
    envDims: addon.envDims,
    envSeed: addon.envSeed,
    envReset: addon.envReset,
    envStep: addon.envStep,
    envBind: addon.envBind,
    envStepBound: addon.envStepBound,
    envSampleTasks: addon.envSampleTasks,
  };
}
