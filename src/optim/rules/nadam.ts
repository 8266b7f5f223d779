// NAdam, matching torch.optim.NAdam (defaults lr 2e-3, b1 0.9, b2 0.999, eps 1e-8, weightDecay 0,
// momentumDecay 4e-3; `decoupled` as torch's decoupled_weight_decay). The running product of the
// momentum coefficients is kept in the state in double.

import type { NadamScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

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
  const o = parseOptions('nadam', options, {
    lr: 2e-3 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    momentumDecay: 4e-3,
    decoupled: false,
  });
  checkBeta(o.b1, 'nadam: b1');
  checkBeta(o.b2, 'nadam: b2');
  checkNonNegative(o.eps, 'nadam: eps');
  checkNonNegative(o.weightDecay, 'nadam: weightDecay');
  checkNonNegative(o.momentumDecay, 'nadam: momentumDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: NadamScalars = {
    b1: o.b1,
    b2: o.b2,
    eps: o.eps,
    invBc2: 1,
    gradCoef: 0,
    momCoef: 0,
    weightDecay: 0,
    decay: 1,
  };
  return defineRule(
    'nadam',
    (p) => newState({ m: new Float32Array(p.length), v: new Float32Array(p.length) }, { muProduct: 1 }),
    (b, p, g, st) => {
      const n = p.length;
      const lr = lrAt(o.lr, st.count, 'nadam: lr');
      const t = st.count + 1;
      const mu = o.b1 * (1 - 0.5 * 0.96 ** (t * o.momentumDecay));
      const muNext = o.b1 * (1 - 0.5 * 0.96 ** ((t + 1) * o.momentumDecay));
      const muProduct = (st.scalars.muProduct ?? 1) * mu;
      st.scalars.muProduct = muProduct;
      const gradCoef = (lr * (1 - mu)) / (1 - muProduct);
      const momCoef = (lr * muNext) / (1 - muProduct * muNext);
      sc.invBc2 = 1 / (1 - o.b2 ** t);
      sc.gradCoef = gradCoef;
      sc.momCoef = momCoef;
      sc.weightDecay = o.decoupled ? 0 : o.weightDecay;
      sc.decay = o.decoupled ? 1 - lr * o.weightDecay : 1;
      b.optimNadam(p, g, stateBuffer('nadam', st, 'm', n), stateBuffer('nadam', st, 'v', n), sc);
    },
  );
}
