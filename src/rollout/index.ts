/**
 * The public `rollout` namespace: batched policy rollouts through vector envs, GAE and
 * discounted returns with correct bootstrapping at truncation.
 *
 * @module
 */
export type { CollectOptions, NetParams, Trajectory } from './collect.js';
export { collect, collectAsync } from './collect.js';
export type { GaeInput } from './gae.js';
export { discountedReturns, gae } from './gae.js';
