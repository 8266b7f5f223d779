/**
 * Task distributions for meta-learning: `meta.tasks.*`.
 *
 * @module
 */
export { type ClassificationOptions, classification } from './classification.js';
export { type DiverseOptions, diverse } from './diverse.js';
export { type GaussianClustersOptions, gaussianClusters } from './gaussian_clusters.js';
export { type LinearLandscapeOptions, linearLandscape } from './landscape.js';
export { type LinearOptions, linear } from './linear.js';
export { type MltiOptions, mlti } from './mlti.js';
export { type Signals1dOptions, signals1d } from './signals.js';
export { type SineOptions, sine } from './sine.js';
export type { TaskBatch, TaskDistribution } from './types.js';
