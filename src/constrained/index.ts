// The public `constrained` namespace: constrained learning by primal-dual (Lagrangian) methods.
export { primalDual } from './primal_dual.js';
export type { ConstrainedProblem, PrimalDualEntry, PrimalDualOptions, PrimalDualResult } from './types.js';
