/**
 * The public `nn` namespace: functional models over flat parameters, losses, derivatives and
 * curvature tools.
 *
 * @module
 */
import { crossEntropy, custom, gaussianNll, mse } from './losses.js';
import { spectralDecoupling } from './spectral_decoupling.js';

export type { CgOptions, CgResult, MatVec } from './cg.js';
export { cg } from './cg.js';
export type { CheckGradOptions } from './check.js';
export { checkGrad } from './check.js';
export * as curvature from './curvature.js';
export { ggnvp } from './ggn.js';
export type { ValueAndGrad } from './grad.js';
export { valueAndGrad } from './grad.js';
export type {
  Gru,
  GruBackwardOptions,
  GruForward,
  GruGrads,
  GruInputs,
  GruIntoBackwardOptions,
  GruOptions,
  GruRunOptions,
  GruWorkspace,
} from './gru.js';
export { gru } from './gru.js';
export type { HessianEigsOptions, HessianSource, HvpFn } from './lanczos.js';
export { hessianEigs } from './lanczos.js';
export type { GaussianNllOptions } from './losses.js';
export type {
  Lstm,
  LstmForward,
  LstmGrads,
  LstmInputs,
  LstmOptions,
  LstmRunOptions,
  LstmWorkspace,
} from './lstm.js';
export { lstm } from './lstm.js';
export type { BlockHessian, JointHvp } from './mixed.js';
export { blockHessian, modelBlockHessian } from './mixed.js';
export { mlp } from './mlp.js';
export type { ParamLoss, ParamLossMixed } from './param_loss.js';
export { paramLossMixed } from './param_loss.js';
export type {
  RecurrentCell,
  RecurrentPolicy,
  RecurrentPolicyOptions,
  RecurrentPolicyRunOptions,
  RecurrentPolicyWorkspace,
} from './recurrent_policy.js';
export { recurrentPolicy } from './recurrent_policy.js';
export type {
  ActivationName,
  CustomLossSpec,
  GradCheckResult,
  HessianEigs,
  InitName,
  InitOptions,
  Loss,
  Mlp,
  MlpOptions,
  Model,
  ParamLayout,
  ParamSegment,
  VjpResult,
} from './types.js';

/** Losses: value, gradient and Hessian-vector product w.r.t. the model output. */
export const loss = {
  /** Mean squared error against a target of the outputs' shape. */
  mse,
  /** Softmax cross-entropy with integer labels (the outputs are logits). */
  crossEntropy,
  /** Gaussian negative log-likelihood, with a fixed or a predicted standard deviation. */
  gaussianNll,
  /** A user-supplied loss from value, gradient and optional Hessian-vector product callbacks. */
  custom,
  /** A base loss plus the spectral-decoupling penalty (λ/2)·‖logits‖² (Gradient Starvation). */
  spectralDecoupling,
};
