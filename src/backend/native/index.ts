// The native backend is the addon itself: each kernel checks its own arguments in native/napi
// (one table per family), so nothing sits between a caller and the addon's functions.
// test/kernel_table.test.ts proves that the addon and the js backend export the same kernels.
import type { Backend } from '../types.js';
import type { NativeAddon } from './addon.js';

export function createNativeBackend(addon: NativeAddon): Backend {
  const { kernelArity: _arity, ...kernels } = addon;
  return { ...kernels, name: 'native' };
}
