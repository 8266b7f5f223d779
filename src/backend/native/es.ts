// Adapter from the addon to the es kernels (usually the addon's functions as they are).
import type { EsKernels } from '../kernels/es.js';
import type { NativeAddon } from './addon.js';

export function nativeEsKernels(addon: NativeAddon): EsKernels {
  void addon;
  return {};
}
