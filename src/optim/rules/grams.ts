// Grams (Cao, Li, Song, arXiv 2412.17107), from the paper's formula; defaults lr 1e-3, b1 0.9,
// b2 0.999, eps 1e-6 and decoupled weightDecay 0 as pytorch_optimizer (whose bias correction we
// do not follow: it divides by bc2^{1/4}).

import type { GramsScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface GramsOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** Grams: Adam's magnitude with the current gradient's sign. */
export function grams(options?: GramsOptions): Optimizer {
  const o = parseOptions('grams', options, { lr: 1e-3 as LearningRate, b1: 0.9, b2: 0.999, eps: 1e-6, weightDecay: 0 });
  checkBeta(o.b1, 'grams: b1');
  checkBeta(o.b2, 'grams: b2');
  checkNonNegative(o.eps, 'grams: eps');
  checkNonNegative(o.weightDecay, 'grams: weightDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: GramsScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, invBc2Sqrt: 1, decay: 1 };
  return defineRule(
    'grams',
    (p) => newState({ m: new Float32Array(p.length), v: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const n = p.length;
      const t = st.count + 1;
      const lr = lrAt(o.lr, st.count, 'grams: lr');
      sc.stepSize = lr / (1 - o.b1 ** t);
      sc.invBc2Sqrt = 1 / Math.sqrt(1 - o.b2 ** t);
      sc.decay = 1 - lr * o.weightDecay;
      b.optimGrams(p, g, stateBuffer('grams', st, 'm', n), stateBuffer('grams', st, 'v', n), sc);
    },
  );
}
