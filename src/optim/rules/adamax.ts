// AdaMax, matching torch.optim.Adamax (defaults lr 2e-3, b1 0.9, b2 0.999, eps 1e-8, weightDecay 0).
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface AdamaxOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** AdaMax (torch.optim.Adamax). */
export function adamax(options?: AdamaxOptions): Optimizer {
  const o = parseOptions('adamax', options, {
    lr: 2e-3 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
  });
  checkBeta(o.b1, 'adamax: b1');
  checkBeta(o.b2, 'adamax: b2');
  checkNonNegative(o.eps, 'adamax: eps');
  checkNonNegative(o.weightDecay, 'adamax: weightDecay');
  return defineRule(
    'adamax',
    (p) => newState({ m: new Float32Array(p.length), u: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const n = p.length;
      const lr = lrAt(o.lr, st.count, 'adamax: lr');
      const bc1 = 1 - o.b1 ** (st.count + 1);
      b.optimAdamax(
        p,
        g,
        stateBuffer('adamax', st, 'm', n),
        stateBuffer('adamax', st, 'u', n),
        o.b1,
        o.b2,
        o.eps,
        lr / bc1,
        o.weightDecay,
      );
    },
  );
}
