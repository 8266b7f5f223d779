// js twins of the rollout kernels (native/core/rollout), one file per kernel file. Each twin is
// exported under its kernel name and typed by RolloutKernels; the js backend spreads this module.
// Argument checks live in the public module (src/rollout) for this backend; the native glue
// checks its own.
export * from './gae.js';
export * from './rollout.js';
