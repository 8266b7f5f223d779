/**
 * optim.jacobian: Jacobian descent's aggregators, an m × n Jacobian (one gradient per objective)
 * to one update direction.
 *
 *   const d = optim.jacobian.upgrad(J, m);   // no objective increases to first order along −d
 *
 * @module
 */
export type { UpgradOptions } from './aggregators.js';
export { mean, mgda, mgdaWeights, upgrad, upgradWeights } from './aggregators.js';
