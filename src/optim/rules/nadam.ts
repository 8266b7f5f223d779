// NAdam, matching torch.optim.NAdam (defaults lr 2e-3, b1 0.9, b2 0.999, eps 1e-8, weightDecay 0,
// momentumDecay 4e-3; `decoupled` as torch's decoupled_weight_decay). The running product of the
// momentum coefficients is kept in the state in double.

import type { NadamScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.nadam`; a field left out takes the default of the reference implementation the rule follows. */
export interface NadamOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  decoupled?: boolean;
}

/** NAdam (torch.optim.NAdam). */
export function nadam(options?: NadamOptions): Optimizer {
  const o = ruleOptions('nadam', options, {
    lr: 2e-3,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupled: false,
  });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: NadamScalars = {
    b1: o.b1,
    b2: o.b2,
    eps: o.eps,
    invBc2: 1,
    gradCoef: 0,
    momCoef: 0,
    weightDecay: o.decoupled ? 0 : o.weightDecay,
    decay: 1,
  };
  return defineRule({
    name: 'nadam',
    lr: o.lr,
    buffers: { m: 0, v: 0 },
    scalars: { muProduct: 1 },
    step: ({ b, p, g, lr, t, state }, { m, v }) => {
      const mu = o.b1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
      const muNext = o.b1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
      const muProduct = (state.scalars.muProduct ?? 1) * mu;
      state.scalars.muProduct = muProduct;
      sc.invBc2 = 1 / (1 - o.b2 ** t);
      sc.gradCoef = (lr * (1 - mu)) / (1 - muProduct);
      sc.momCoef = (lr * muNext) / (1 - muProduct * muNext);
      sc.decay = o.decoupled ? 1 - lr * o.weightDecay : 1;
      b.optimNadam(p, g, m, v, sc);
    },
  });
}
