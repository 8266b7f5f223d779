// AdaGrad, matching torch.optim.Adagrad (defaults lr 1e-2, lrDecay 0, weightDecay 0,
// initialAccumulatorValue 0, eps 1e-10).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.adagrad`; a field left out takes the default of the reference implementation the rule follows. */
export interface AdagradOptions {
  lr?: LearningRate;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** AdaGrad (torch.optim.Adagrad). */
export function adagrad(options?: AdagradOptions): Optimizer {
  const o = ruleOptions('adagrad', options, {
    lr: 1e-2,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
  });
  return defineRule({
    name: 'adagrad',
    lr: o.lr,
    buffers: { sum: o.initialAccumulatorValue },
    step: ({ b, p, g, lr, state }, { sum }) =>
      b.optimAdagrad(p, g, sum, lr / (1 + state.count * o.lrDecay), o.eps, o.weightDecay),
  });
}
