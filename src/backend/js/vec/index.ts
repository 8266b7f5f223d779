// js twins of the vector kernels (native/core/vec), exported under their kernel names.
export * from './vec.js';
