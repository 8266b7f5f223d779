/**
 * learned: learned optimizers, their task families and ES/PES meta-training.
 *
 * @module
 */

export {
  type DiscoverHistoryEntry,
  type DiscoverPolicyObjectiveOptions,
  type DiscoverPolicyObjectiveResult,
  discoverPolicyObjective,
  type InnerPpoConfig,
} from './discover.js';
export { type DriftFunction, type DriftFunctionOptions, type DriftPoint, driftFunction } from './drift.js';
export type { LpoObjective, WithLpoObjective } from './drift_objective.js';
export type { EstimatorName, EstimatorState, MetaObjective, SavedPair, SavedUnroll } from './estimators.js';
export { type MlpOptimizer, type MlpOptimizerOptions, mlpOptimizer } from './mlp_optimizer.js';
export { mupMultipliers } from './mup.js';
export {
  ADAM_LRS,
  type AdamEnvelopeOptions,
  type AdamSpeedup,
  type AdamSpeedupOptions,
  adamEnvelope,
  adamSpeedup,
  lossCurve,
  lowerEnvelope,
  stepsToReach,
} from './speedup.js';
export * as tasks from './tasks/index.js';
export {
  type TrainCheckpoint,
  type TrainHistoryEntry,
  type TrainOptions,
  type TrainResult,
  train,
} from './train.js';
export type { LearnedOptimizer, Task, TaskFamily } from './types.js';
