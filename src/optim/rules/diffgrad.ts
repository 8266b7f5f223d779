// diffGrad, matching shivram1987/diffGrad diffGrad_v2.py (defaults lr 1e-3, b1 0.9, b2 0.999,
// eps 1e-8, coupled weightDecay 0). Not pytorch_optimizer's DiffGrad, which drops the friction
// term on its default path.

import type { DiffgradScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.diffgrad`; a field left out takes the default of the reference implementation the rule follows. */
export interface DiffgradOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** diffGrad: Adam with a friction coefficient sigmoid(|g_prev − g|). */
export function diffgrad(options?: DiffgradOptions): Optimizer {
  const o = ruleOptions('diffgrad', options, { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0 });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: DiffgradScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, weightDecay: o.weightDecay };
  return defineRule({
    name: 'diffgrad',
    lr: o.lr,
    buffers: { m: 0, v: 0, gPrev: 0 },
    step: ({ b, p, g, lr, t }, { m, v, gPrev }) => {
      sc.stepSize = (lr * Math.sqrt(1 - o.b2 ** t)) / (1 - o.b1 ** t);
      b.optimDiffgrad(p, g, m, v, gPrev, sc);
    },
  });
}
