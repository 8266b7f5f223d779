// js twins of the meta kernels (native/core/meta), exported under their kernel names. They run
// the js nn twins and check their arguments as native/napi/meta.cc does (checks.ts).
export * from './adapt.js';
export * from './grad.js';
