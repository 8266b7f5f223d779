// js twins of the envs kernels (native/napi/envs*.cc over native/core/envs), exported under their
// kernel names and typed by EnvKernels; the js backend spreads this module.

export * from './envs.js';
export * from './envs_bound.js';
