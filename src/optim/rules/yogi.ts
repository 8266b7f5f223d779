// Yogi, matching optax.yogi (defaults lr 1e-2, b1 0.9, b2 0.999, eps 1e-3,
// initialAccumulatorValue 1e-6 for both moments; bias-corrected as optax.scale_by_yogi).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.yogi`; a field left out takes the default of the reference implementation the rule follows. */
export interface YogiOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  initialAccumulatorValue?: number;
}

/** Yogi (Zaheer et al. 2018; optax.yogi). */
export function yogi(options?: YogiOptions): Optimizer {
  const o = ruleOptions('yogi', options, { lr: 1e-2, b1: 0.9, b2: 0.999, eps: 1e-3, initialAccumulatorValue: 1e-6 });
  const start = o.initialAccumulatorValue;
  return defineRule({
    name: 'yogi',
    lr: o.lr,
    buffers: { m: start, v: start },
    step: ({ b, p, g, lr, t }, { m, v }) =>
      b.optimYogi(p, g, m, v, o.b1, o.b2, o.eps, lr / (1 - o.b1 ** t), 1 / (1 - o.b2 ** t)),
  });
}
