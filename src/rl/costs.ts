/**
 * The public `rl.costs` namespace: built-in per-step cost functions (observation → cost) for a
 * trainer's `constraints`.
 *
 * @module
 */
export { cartpolePosition, cartpoleVelocity, hazard, outside } from './constraints.js';
