// The meta kernels of the backend in use (native: batched over tasks on the thread pool; js: the
// TypeScript twin in src/backend/js/meta).
import { getBackend } from '../backend/index.js';
import type { MetaKernels } from '../backend/kernels/meta.js';
import type { Backend } from '../backend/types.js';

/** The meta kernels for a backend (default: the one in use). */
export function metaKernels(b: Backend = getBackend()): MetaKernels {
  return b;
}
