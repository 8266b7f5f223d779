// The meta kernels of the backend in use. When the backend carries the meta family (native
// addon with RegisterMeta, or the js backend with jsMetaKernels spread in), those are used;
// otherwise the js twin runs over the backend's own nn kernels (one call per task per pass).
import { getBackend } from '../backend/index.js';
import { createMetaKernels } from '../backend/js/meta/index.js';
import type { MetaKernels } from '../backend/kernels/meta.js';
import type { Backend } from '../backend/types.js';

const fallback = new WeakMap<Backend, MetaKernels>();

/** Whether the backend in use runs the meta kernels natively batched (threads over tasks). */
export function hasBatchedMetaKernels(b: Backend = getBackend()): boolean {
  const k = b as Backend & Partial<MetaKernels>;
  return typeof k.metaGradBatch === 'function' && typeof k.metaAdaptEvaluate === 'function';
}

/** The meta kernels for a backend (default: the one in use). */
export function metaKernels(b: Backend = getBackend()): MetaKernels {
  if (hasBatchedMetaKernels(b)) return b as Backend & MetaKernels;
  let k = fallback.get(b);
  if (!k) {
    k = createMetaKernels(b);
    fallback.set(b, k);
  }
  return k;
}
