// js twins of the optim kernels (native/core/optim), one file per kernel file. Each twin is
// exported under its kernel name and typed by OptimKernels; the js backend spreads this module.
export * from './adadelta.js';
export * from './adagrad.js';
export * from './adam.js';
export * from './adamax.js';
export * from './aegd.js';
export * from './bandwidth.js';
export * from './clip.js';
export * from './complex_momentum.js';
export * from './diffgrad.js';
export * from './eigen_sym.js';
export * from './grams.js';
export * from './gravity.js';
export * from './grokfast.js';
export * from './lion.js';
export * from './lookahead.js';
export * from './madgrad.js';
export * from './nadam.js';
export * from './novograd.js';
export * from './optimistic_amsgrad.js';
export * from './rmsprop.js';
export * from './sgd.js';
export * from './swats.js';
export * from './yogi.js';
