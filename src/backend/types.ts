import type { BilevelKernels } from './kernels/bilevel.js';
import type { EnvKernels } from './kernels/envs.js';
import type { EsKernels } from './kernels/es.js';
import type { LearnedKernels } from './kernels/learned.js';
import type { MetaKernels } from './kernels/meta.js';
import type { MetaRlKernels } from './kernels/metarl.js';
import type { MujocoKernels } from './kernels/mujoco.js';
import type { NnKernels } from './kernels/nn.js';
import type { OptimKernels } from './kernels/optim.js';
import type { RandomKernels } from './kernels/random.js';
import type { RlKernels } from './kernels/rl.js';
import type { RolloutKernels } from './kernels/rollout.js';
import type { VectorKernels } from './kernels/vector.js';

/** The two implementations of every kernel. */
export type BackendName = 'native' | 'js';

/** What `backend.info()` reports. */
export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** outerloop's version. */
  version: string;
  /** Threads the batched kernels use (always 1 for js). */
  threads: number;
  /** Instruction set the native hot loops dispatched to ('avx512', 'avx2', 'baseline'), or 'none' for js. */
  simd: string;
  /** Whether CUDA kernels were built in and a device was found. */
  cuda: boolean;
  /** The MuJoCo engine the MuJoCo envs would use ('mujoco 2.2.2 (native, dlopen)'), or null when none is found. */
  physics: string | null;
}

/**
 * The one list of kernels. `native` implements it through the addon, `js` in TypeScript;
 * algorithms and public modules call only this interface.
 */
export interface Backend
  extends RandomKernels,
    VectorKernels,
    EnvKernels,
    NnKernels,
    OptimKernels,
    RolloutKernels,
    EsKernels,
    RlKernels,
    MetaKernels,
    MetaRlKernels,
    LearnedKernels,
    MujocoKernels,
    BilevelKernels {
  readonly name: BackendName;
  /** Gets, or sets when n is given, the thread count. */
  threads(n?: number): number;
  simd(): string;
  cuda(): boolean;
}
