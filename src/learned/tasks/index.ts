/**
 * Task families for meta-training learned optimizers.
 *
 * @module
 */

export {
  type MlpClassificationFamily,
  type MlpClassificationOptions,
  mlpClassification,
} from './mlp_classification.js';
export { type MlpRegressionFamily, type MlpRegressionOptions, mlpRegression } from './mlp_regression.js';
export {
  averagePool,
  type MnistFamily,
  type MnistOptions,
  type MnistSplit,
  type MnistTask,
  mnist,
} from './mnist.js';
export { type QuadraticFamily, type QuadraticOptions, type QuadraticTask, quadratic } from './quadratic.js';
