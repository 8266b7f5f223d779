/**
 * Built-in bilevel problems.
 *
 * @module
 */
export { type RidgeData, ridge } from './ridge.js';
export { type WeightedLossData, weightedLoss } from './weighted_loss.js';
