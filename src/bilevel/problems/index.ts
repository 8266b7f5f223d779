/**
 * Built-in bilevel problems.
 *
 * @module
 */

export {
  type LrSchedule,
  type LrScheduleHypergradientOptions,
  type LrScheduleOptions,
  lrSchedule,
} from './lr_schedule.js';
export { type MlpRegularizationData, mlpRegularization } from './mlp_regularization.js';
export { type RidgeData, ridge } from './ridge.js';
export { type WeightedLossData, weightedLoss } from './weighted_loss.js';
