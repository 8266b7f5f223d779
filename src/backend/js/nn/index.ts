// js twins of the nn kernels (native/core/nn), exported under their kernel names and typed by
// NnKernels. They trust their arguments: the checks live in src/nn and, for native, native/napi/nn.cc.
export { gruBackward, gruForward } from './gru.js';
export { lstmBackward, lstmForward } from './lstm.js';
export * from './mlp.js';
