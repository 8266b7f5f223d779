// The native backend: the addon's functions (which check their own arguments in native/napi),
// plus per-family adapters where a kernel needs a thin TypeScript wrapper.
import type { Backend } from '../types.js';
import type { NativeAddon } from './addon.js';
import { nativeEnvKernels } from './envs.js';
import { nativeEsKernels } from './es.js';
import { nativeMetaKernels } from './meta.js';
import { nativeNnKernels } from './nn.js';
import { nativeOptimKernels } from './optim.js';
import { nativeRlKernels } from './rl.js';
import { nativeRolloutKernels } from './rollout.js';

export function createNativeBackend(addon: NativeAddon): Backend {
  return {
    ...addon,
    ...nativeEnvKernels(addon),
    ...nativeNnKernels(addon),
    ...nativeOptimKernels(addon),
    ...nativeRolloutKernels(addon),
    ...nativeEsKernels(addon),
    ...nativeRlKernels(addon),
    ...nativeMetaKernels(addon),
    name: 'native',
  };
}
