// The js rl kernels (twins of native/core/rl).
import type { RlKernels } from '../../kernels/rl.js';
import * as objective from './objective.js';

export const jsRlKernels: RlKernels = {
  rlCategoricalObjective: objective.categoricalObjective,
  rlGaussianObjective: objective.gaussianObjective,
  rlValueLoss: objective.valueLoss,
  rlCategoricalSample: objective.categoricalSample,
  rlGaussianSample: objective.gaussianSample,
};
