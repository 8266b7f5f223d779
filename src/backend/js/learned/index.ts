// js twins of the learned kernels (native/core/learned), exported under their kernel names.
export * from './mlp_step.js';
export * from './population.js';
