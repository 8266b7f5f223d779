// js twins of the random kernels, exported under their kernel names (philox.ts, the generator
// other families' twins share, is not re-exported).
export * from './random.js';
