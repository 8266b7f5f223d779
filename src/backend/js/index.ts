// The pure-TypeScript backend: every kernel, no native code. It is the fallback where the addon
// cannot load and the baseline the benchmarks compare against. Each family lives in its own
// folder mirroring native/core/<family>.
import type { Backend } from '../types.js';
import * as bilevelTwins from './bilevel/index.js';
import * as envTwins from './envs/index.js';
import * as esTwins from './es/index.js';
import * as learnedTwins from './learned/index.js';
import * as metaTwins from './meta/index.js';
import * as metaRlTwins from './metarl/index.js';
import * as mujocoTwins from './mujoco/index.js';
import * as nnTwins from './nn/index.js';
import * as optimTwins from './optim/index.js';
import * as rlTwins from './rl/index.js';
import * as randomTwins from './rng/index.js';
import * as rolloutTwins from './rollout/index.js';
import * as vectorTwins from './vec/index.js';

export function createJsBackend(): Backend {
  return {
    name: 'js',
    threads: () => 1,
    simd: () => 'none',
    cuda: () => false,

    ...randomTwins,
    ...vectorTwins,

    ...envTwins,
    ...nnTwins,
    ...optimTwins,
    ...rolloutTwins,
    ...esTwins,
    ...rlTwins,
    ...metaTwins,
    ...metaRlTwins,
    ...learnedTwins,
    ...mujocoTwins,
    ...bilevelTwins,
  };
}
