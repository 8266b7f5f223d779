// js twins of the bilevel kernels (native/core/bilevel), exported under their kernel names.
export * from './hypergrad.js';
