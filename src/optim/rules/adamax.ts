// AdaMax, matching torch.optim.Adamax (defaults lr 2e-3, b1 0.9, b2 0.999, eps 1e-8, weightDecay 0).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.adamax`; a field left out takes the default of the reference implementation the rule follows. */
export interface AdamaxOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
}

/** AdaMax (torch.optim.Adamax). */
export function adamax(options?: AdamaxOptions): Optimizer {
  const o = ruleOptions('adamax', options, { lr: 2e-3, b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0 });
  return defineRule({
    name: 'adamax',
    lr: o.lr,
    buffers: { m: 0, u: 0 },
    step: ({ b, p, g, lr, t }, { m, u }) =>
      b.optimAdamax(p, g, m, u, o.b1, o.b2, o.eps, lr / (1 - o.b1 ** t), o.weightDecay),
  });
}
