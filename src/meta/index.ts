/**
 * The public `meta` namespace: task distributions and gradient-based meta-learners.
 *
 * @module
 */
import * as tasks from './tasks/index.js';

export {
  type AnilOptions,
  anil,
  fomaml,
  type ImamlOptions,
  imaml,
  type MamlOptions,
  type MetaSgdOptions,
  maml,
  metaSgd,
  pretrain,
  reptile,
} from './factories.js';
export { truncatedNormalInit } from './init.js';
export { type Siren, siren } from './siren.js';
export type { TaskBatch, TaskDistribution } from './tasks/types.js';
export type {
  AdaptOptions,
  EvaluateOptions,
  EvaluateResult,
  LearnerOptions,
  MetaLearner,
  MetaLoss,
  MetaModel,
  SupportSet,
  TrainOptions,
  TrainProgress,
} from './types.js';
export { tasks };
