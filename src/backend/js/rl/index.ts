// js twins of the rl kernels (native/core/rl), exported under their kernel names.
export * from './objective.js';
