// Adapter from the addon to the rollout kernels: the addon's functions as they are.
import type { RolloutKernels } from '../kernels/rollout.js';
import type { NativeAddon } from './addon.js';

export function nativeRolloutKernels(addon: NativeAddon): RolloutKernels {
  return { rolloutRun: addon.rolloutRun, rolloutRunAsync: addon.rolloutRunAsync, gae: addon.gae };
}
