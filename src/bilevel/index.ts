/**
 * The public `bilevel` namespace: bilevel problems, hypergradients and bilevel solvers.
 *
 * @module
 */
import * as problems from './problems/index.js';

export { hypergradient } from './hypergradient.js';
export { solve } from './solve.js';
export type {
  BilevelProblem,
  FusedResult,
  HypergradientMethod,
  HypergradientOptions,
  HypergradientResult,
  HypergradientStats,
  InnerOptimizer,
  SolveMethod,
  SolveOptions,
  SolveResult,
  SolveStep,
} from './types.js';
export { problems };
