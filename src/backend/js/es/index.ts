// js twins of the es kernels (native/core/es), one file per kernel file, exported under their
// kernel names (checks.ts holds shared argument checks and is not re-exported).
export * from './perturb.js';
export * from './population_rollout.js';
export * from './ranks.js';
export * from './weighted_sum.js';
