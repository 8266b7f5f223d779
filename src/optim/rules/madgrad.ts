// MADGRAD, matching facebookresearch/madgrad madgrad.py (defaults lr 1e-2, momentum 0.9,
// weightDecay 0, eps 1e-6, coupled decay unless `decoupled`). As the reference: the step size is
// lr + eps, λ_k = (lr + eps)·sqrt(k + 1) with the global step k, x0 is the parameters at the
// first step (not stored when momentum is 0).

import type { MadgradScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.madgrad`; a field left out takes the default of the reference implementation the rule follows. */
export interface MadgradOptions {
  lr?: LearningRate;
  momentum?: number;
  weightDecay?: number;
  eps?: number;
  decoupled?: boolean;
}

/** MADGRAD (Defazio & Jelassi 2021). */
export function madgrad(options?: MadgradOptions): Optimizer {
  const o = ruleOptions('madgrad', options, { lr: 1e-2, momentum: 0.9, weightDecay: 0, eps: 1e-6, decoupled: false });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: MadgradScalars = {
    lr: 0,
    lamb: 0,
    eps: o.eps,
    momentum: o.momentum,
    weightDecay: o.weightDecay,
    decoupled: o.decoupled,
  };
  const useX0 = o.momentum !== 0;
  return defineRule({
    name: 'madgrad',
    lr: o.lr,
    buffers: { s: 0, nu: 0, x0: useX0 ? 0 : null },
    step: ({ b, p, g, lr, t }, { s, nu, x0 }) => {
      if (useX0 && t === 1) x0.set(p);
      sc.lr = lr === 0 ? 0 : lr + o.eps;
      sc.lamb = sc.lr * Math.sqrt(t);
      b.optimMadgrad(p, g, s, nu, x0, sc);
    },
  });
}
