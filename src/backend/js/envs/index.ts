// js twins of the envs kernels (native/napi/envs*.cc over native/core/envs), exported under their
// kernel names and typed by EnvKernels; the js backend spreads this module.

// Transitional: js/rollout/rollout.ts and js/es/population_rollout.ts still import opsOf from here;
// once they import it from './env.js', delete this line (it puts a non-kernel on the js backend).
export { opsOf } from './env.js';
export * from './envs.js';
export * from './envs_bound.js';
