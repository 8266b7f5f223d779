// Lion (Chen et al. 2023), matching google/automl lion/lion_pytorch.py (defaults lr 1e-4, b1 0.9,
// b2 0.99, decoupled weightDecay 0; optax.lion defaults weightDecay to 1e-3 instead).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.lion`; a field left out takes the default of the reference implementation the rule follows. */
export interface LionOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  weightDecay?: number;
}

/** Lion: sign of an interpolated momentum. */
export function lion(options?: LionOptions): Optimizer {
  // Lion's b1 and b2 may be 1.
  const o = ruleOptions('lion', options, { lr: 1e-4, b1: 0.9, b2: 0.99, weightDecay: 0 }, { b1: 'unit', b2: 'unit' });
  return defineRule({
    name: 'lion',
    lr: o.lr,
    buffers: { m: 0 },
    step: ({ b, p, g, lr }, { m }) => b.optimLion(p, g, m, lr, o.b1, o.b2, 1 - lr * o.weightDecay),
  });
}
