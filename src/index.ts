/**
 * outerloop: meta-learning, meta-reinforcement learning and optimization for Node.js.
 *
 * @packageDocumentation
 */

export type { BackendInfo, BackendName } from './backend/index.js';
export { backend } from './backend/index.js';
export * as bilevel from './bilevel/index.js';
export * as cluster from './cluster/index.js';
export * as constrained from './constrained/index.js';
export * as envs from './envs/index.js';
export { OuterloopError } from './errors.js';
export * as evo from './evo/index.js';
export * as games from './games/index.js';
export * as io from './io/index.js';
export * as learned from './learned/index.js';
export * as meta from './meta/index.js';
export * as metaRl from './metarl/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export type { Key } from './random/index.js';
export * as random from './random/index.js';
export * as rl from './rl/index.js';
export * as rollout from './rollout/index.js';
export * as vec from './vec/index.js';
export { VERSION as version } from './version.js';
