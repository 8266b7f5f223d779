// Adapter from the addon to the rollout kernels (usually the addon's functions as they are).
import type { RolloutKernels } from '../kernels/rollout.js';
import type { NativeAddon } from './addon.js';

export function nativeRolloutKernels(addon: NativeAddon): RolloutKernels {
  void addon;
  return {};
}
