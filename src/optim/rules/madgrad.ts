// MADGRAD, matching facebookresearch/madgrad madgrad.py (defaults lr 1e-2, momentum 0.9,
// weightDecay 0, eps 1e-6, coupled decay unless `decoupled`). As the reference: the step size is
// lr + eps, λ_k = (lr + eps)·sqrt(k + 1) with the global step k, x0 is the parameters at the
// first step (not stored when momentum is 0).

import type { MadgradScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, EMPTY, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface MadgradOptions {
  lr?: LearningRate;
  momentum?: number;
  weightDecay?: number;
  eps?: number;
  decoupled?: boolean;
}

/** MADGRAD (Defazio & Jelassi 2021). */
export function madgrad(options?: MadgradOptions): Optimizer {
  const o = parseOptions('madgrad', options, {
    lr: 1e-2 as LearningRate,
    momentum: 0.9,
    weightDecay: 0,
    eps: 1e-6,
    decoupled: false,
  });
  checkBeta(o.momentum, 'madgrad: momentum');
  checkNonNegative(o.weightDecay, 'madgrad: weightDecay');
  checkNonNegative(o.eps, 'madgrad: eps');
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
  return defineRule(
    'madgrad',
    (p) => {
      const buffers: Record<string, Float32Array> = { s: new Float32Array(p.length), nu: new Float32Array(p.length) };
      if (useX0) buffers.x0 = new Float32Array(p.length);
      return newState(buffers);
    },
    (b, p, g, st) => {
      const n = p.length;
      const x0 = useX0 ? stateBuffer('madgrad', st, 'x0', n) : EMPTY;
      if (useX0 && st.count === 0) x0.set(p);
      const base = lrAt(o.lr, st.count, 'madgrad: lr');
      const lr = base === 0 ? 0 : base + o.eps;
      const lamb = lr * Math.sqrt(st.count + 1);
      sc.lr = lr;
      sc.lamb = lamb;
      b.optimMadgrad(p, g, stateBuffer('madgrad', st, 's', n), stateBuffer('madgrad', st, 'nu', n), x0, sc);
    },
  );
}
