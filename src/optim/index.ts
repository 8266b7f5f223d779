/**
 * The public `optim` namespace: fused update rules over flat Float32Array parameters, gradient
 * transformations, composition (chain and wrappers), schedules and exact state save/restore.
 *
 *   const opt = optim.chain(optim.clipByGlobalNorm(0.5), optim.adam({ lr: 3e-4 }));
 *   const state = opt.init(params);
 *   opt.step(params, grads, state);          // in place, one fused kernel call per buffer
 *
 * @module
 */
export { chain } from './chain.js';
export type { FosiOptions } from './curvature/fosi.js';
export { fosi } from './curvature/fosi.js';
export type { NaturalGradientOptions } from './curvature/natural_gradient.js';
export { naturalGradient } from './curvature/natural_gradient.js';
export type { SaddleFreeNewtonOptions } from './curvature/saddle_free_newton.js';
export { saddleFreeNewton } from './curvature/saddle_free_newton.js';
export type { ShampooOptions } from './curvature/shampoo.js';
export { shampoo } from './curvature/shampoo.js';
export * as federated from './fed/index.js';
export * as jacobian from './jacobian/index.js';
export type { SegmentMask } from './masked.js';
export { masked, partition } from './masked.js';
export type { AdadeltaOptions } from './rules/adadelta.js';
export { adadelta } from './rules/adadelta.js';
export type { AdagradOptions } from './rules/adagrad.js';
export { adagrad } from './rules/adagrad.js';
export type { AdagradNormOptions } from './rules/adagrad_norm.js';
export { adagradNorm } from './rules/adagrad_norm.js';
export type { AdamOptions } from './rules/adam.js';
export { adam, adamw, amsgrad } from './rules/adam.js';
export type { AdamaxOptions } from './rules/adamax.js';
export { adamax } from './rules/adamax.js';
export type { AegdOptions } from './rules/aegd.js';
export { aegd } from './rules/aegd.js';
export type { ComplexMomentumOptions } from './rules/complex_momentum.js';
export { complexMomentum } from './rules/complex_momentum.js';
export type { Predictor } from './rules/define.js';
export type { DiffgradOptions } from './rules/diffgrad.js';
export { diffgrad } from './rules/diffgrad.js';
export type { GramsOptions } from './rules/grams.js';
export { grams } from './rules/grams.js';
export type { GravityOptions } from './rules/gravity.js';
export { gravity } from './rules/gravity.js';
export type { LionOptions } from './rules/lion.js';
export { lion } from './rules/lion.js';
export type { MadgradOptions } from './rules/madgrad.js';
export { madgrad } from './rules/madgrad.js';
export type { NadamOptions } from './rules/nadam.js';
export { nadam } from './rules/nadam.js';
export type { NovogradOptions } from './rules/novograd.js';
export { novograd } from './rules/novograd.js';
export type { OptimisticAmsgradOptions } from './rules/optimistic_amsgrad.js';
export { optimisticAmsgrad } from './rules/optimistic_amsgrad.js';
export type { RmspropOptions } from './rules/rmsprop.js';
export { rmsprop } from './rules/rmsprop.js';
export type { SgdOptions } from './rules/sgd.js';
export { momentum, nesterov, sgd } from './rules/sgd.js';
export type { SwatsOptions } from './rules/swats.js';
export { swats } from './rules/swats.js';
export type { YogiOptions } from './rules/yogi.js';
export { yogi } from './rules/yogi.js';
export * as schedules from './schedules.js';
export type { SavedState } from './state.js';
export { restoreState, saveState } from './state.js';
export type { GrokfastOptions } from './transforms.js';
export {
  addDecayedWeights,
  clipByGlobalNorm,
  clipByValue,
  grokfastEma,
  scale,
  scaleByLearningRate,
  scaleBySchedule,
} from './transforms.js';
export type {
  CurvatureOracle,
  GradientTransformation,
  LayoutSegment,
  LearningRate,
  Optimizer,
  OptState,
  ParamLayout,
  Schedule,
  StepExtra,
} from './types.js';
export type { LookaheadOptions, XgradOptimizer } from './wrappers.js';
export { grokfast, lookahead, multiSteps, skipNonFinite, xgrad } from './wrappers.js';
