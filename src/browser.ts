/**
 * `outerloop/browser`: the library for browsers and Web Workers. The js backend only (no addon,
 * no file system): envs, nn, optim, rl (PPO, A2C), meta, evo, random, vec and rollout, with the
 * same API as the Node entry. Calls that read or write files (checkpoints, `Policy.save/load`,
 * io's file helpers) throw here; use their in-memory forms (encode/decode) instead.
 *
 * @module
 */
export type { BackendInfo, BackendName } from './backend/index.js';
export { backend } from './backend/index.js';
export * as envs from './envs/index.js';
export { OuterloopError } from './errors.js';
export * as evo from './evo/index.js';
export * as meta from './meta/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export type { Key } from './random/index.js';
export * as random from './random/index.js';
export * as rl from './rl/index.js';
export * as rollout from './rollout/index.js';
export * as vec from './vec/index.js';
export { VERSION as version } from './version.js';
