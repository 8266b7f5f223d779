// The public `rl.costs` namespace: built-in per-step cost functions for `constraints`.
export { cartpolePosition, cartpoleVelocity, hazard, outside } from './constraints.js';
