// AdaDelta, matching torch.optim.Adadelta (defaults lr 1.0, rho 0.9, eps 1e-6, weightDecay 0).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.adadelta`; a field left out takes the default of the reference implementation the rule follows. */
export interface AdadeltaOptions {
  lr?: LearningRate;
  rho?: number;
  eps?: number;
  weightDecay?: number;
}

/** AdaDelta (torch.optim.Adadelta). */
export function adadelta(options?: AdadeltaOptions): Optimizer {
  const o = ruleOptions('adadelta', options, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0 });
  return defineRule({
    name: 'adadelta',
    lr: o.lr,
    buffers: { sqAvg: 0, accDelta: 0 },
    step: ({ b, p, g, lr }, { sqAvg, accDelta }) =>
      b.optimAdadelta(p, g, sqAvg, accDelta, lr, o.rho, o.eps, o.weightDecay),
  });
}
