// Adapter from the addon to the nn kernels (usually the addon's functions as they are).
import type { NnKernels } from '../kernels/nn.js';
import type { NativeAddon } from './addon.js';

export function nativeNnKernels(addon: NativeAddon): NnKernels {
  void addon;
  return {};
}
