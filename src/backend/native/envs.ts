// Adapter from the addon to the envs kernels (usually the addon's functions as they are).
import type { EnvKernels } from '../kernels/envs.js';
import type { NativeAddon } from './addon.js';

export function nativeEnvKernels(addon: NativeAddon): EnvKernels {
  void addon;
  return {};
}
