// Adapter from the addon to the optim kernels (usually the addon's functions as they are).
import type { OptimKernels } from '../kernels/optim.js';
import type { NativeAddon } from './addon.js';

export function nativeOptimKernels(addon: NativeAddon): OptimKernels {
  void addon;
  return {};
}
