// The pure-TypeScript backend: every kernel, no native code. It is the fallback where the addon
// cannot load and the baseline the benchmarks compare against. Each family lives in its own
// folder mirroring native/core/<family>.
import type { Backend } from '../types.js';
import { jsEnvKernels } from './envs/index.js';
import { jsEsKernels } from './es/index.js';
import { jsMetaKernels } from './meta/index.js';
import { jsNnKernels } from './nn/index.js';
import * as optimTwins from './optim/index.js';
import { jsRlKernels } from './rl/index.js';
import * as philox from './rng/philox.js';
import * as rolloutTwins from './rollout/index.js';
import * as vec from './vec/vec.js';

export function createJsBackend(): Backend {
  return {
    name: 'js',
    threads: () => 1,
    simd: () => 'none',
    cuda: () => false,

    randomBits: philox.fillBits,
    randomUniform: philox.fillUniform,
    randomNormal: philox.fillNormal,
    // The js backend has no worker threads: these compute synchronously and return a settled promise.
    randomUniformAsync: async (key, counter, out) => philox.fillUniform(key, counter, out),
    randomNormalAsync: async (key, counter, out) => philox.fillNormal(key, counter, out),
    philoxBlock: (key, c, out) =>
      philox.philoxBlock(
        key[0] as number,
        key[1] as number,
        c[0] as number,
        c[1] as number,
        c[2] as number,
        c[3] as number,
        out,
        0,
      ),
    randomDerive: (key, index, domain, out) => philox.derive(key[0] as number, key[1] as number, index, domain, out),

    axpy: vec.axpy,
    scale: vec.scale,
    dot: vec.dot,
    sum: vec.sum,
    sumSquares: vec.sumSquares,
    allFinite: vec.allFinite,

    ...jsEnvKernels,
    ...jsNnKernels,
    ...optimTwins,
    ...rolloutTwins,
    ...jsEsKernels,
    ...jsRlKernels,
    ...jsMetaKernels,
  };
}
