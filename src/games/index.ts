/**
 * The public `games` namespace: two-player zero-sum differentiable games min_x max_y f(x, y) over
 * flat parameter vectors, built-in games with known equilibria, and the solvers.
 *
 * @module
 */

export type { BranchOptions, BranchResult, BranchSolution } from './branch.js';
export { branch } from './branch.js';
export type { Classification } from './classify.js';
export { classify } from './classify.js';
export { gameJacobian as jacobian } from './dense.js';
export { eigenvalues } from './eigenvalues.js';
export type { Coverage, CoverageOptions, GanGame, GanOptions } from './gan.js';
export { coverageOf, gan } from './gan.js';
export type { GrowthDirections, LyapunovOptions, LyapunovResult } from './lyapunov.js';
export { growthDirections, lyapunov } from './lyapunov.js';
export type { FromModelOptions } from './model.js';
export { fromModel } from './model.js';
export type { BilinearOptions, QuadraticOptions } from './quadratic.js';
export { bilinear, quadratic } from './quadratic.js';
export { solve } from './solve.js';
export type { Equilibrium, Game, GameMethod, HistoryEntry, SolveOptions, SolveResult } from './types.js';
export type { DoubleWellOptions } from './wells.js';
export { doubleWell } from './wells.js';
