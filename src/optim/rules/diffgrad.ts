// diffGrad, matching shivram1987/diffGrad diffGrad_v2.py (defaults lr 1e-3, b1 0.9, b2 0.999,
// eps 1e-8, coupled weightDecay 0). Not pytorch_optimizer's DiffGrad, which drops the friction
// term on its default path.

import type { DiffgradScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface DiffgradOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** diffGrad: Adam with a friction coefficient sigmoid(|g_prev − g|). */
export function diffgrad(options?: DiffgradOptions): Optimizer {
  const o = parseOptions('diffgrad', options, {
    lr: 1e-3 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
  });
  checkBeta(o.b1, 'diffgrad: b1');
  checkBeta(o.b2, 'diffgrad: b2');
  checkNonNegative(o.eps, 'diffgrad: eps');
  checkNonNegative(o.weightDecay, 'diffgrad: weightDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: DiffgradScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, weightDecay: o.weightDecay };
  return defineRule(
    'diffgrad',
    (p) =>
      newState({ m: new Float32Array(p.length), v: new Float32Array(p.length), gPrev: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const n = p.length;
      const t = st.count + 1;
      const lr = lrAt(o.lr, st.count, 'diffgrad: lr');
      sc.stepSize = (lr * Math.sqrt(1 - o.b2 ** t)) / (1 - o.b1 ** t);
      b.optimDiffgrad(
        p,
        g,
        stateBuffer('diffgrad', st, 'm', n),
        stateBuffer('diffgrad', st, 'v', n),
        stateBuffer('diffgrad', st, 'gPrev', n),
        sc,
      );
    },
  );
}
