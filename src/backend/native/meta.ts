// Adapter from the addon to the meta kernels: the addon's own functions when it exports them
// (native/napi/meta.cc, registered by RegisterMeta), else undefined.
import type { MetaKernels } from '../kernels/meta.js';

export function nativeMetaKernels(addon: object): MetaKernels | undefined {
  const a = addon as Partial<MetaKernels>;
  if (typeof a.metaGradBatch !== 'function' || typeof a.metaAdaptEvaluate !== 'function') return undefined;
  return { metaGradBatch: a.metaGradBatch, metaAdaptEvaluate: a.metaAdaptEvaluate };
}
