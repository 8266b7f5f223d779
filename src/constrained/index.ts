/**
 * The public `constrained` namespace: constrained learning by primal-dual (Lagrangian) methods.
 *
 * @module
 */

export type { LagrangianEntry, LagrangianOptions, PolicyValues, TabularCmdp } from './cmdp.js';
export { evaluatePolicy, lagrangianPolicy, solveCmdpLp } from './cmdp.js';
export { randomCmdp } from './cmdp_random.js';
export type { DualMethod } from './multiplier.js';
export { multiplierStep } from './multiplier.js';
export { primalDual } from './primal_dual.js';
export type { ConstrainedProblem, PrimalDualEntry, PrimalDualOptions, PrimalDualResult } from './types.js';
