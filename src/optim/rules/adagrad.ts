// AdaGrad, matching torch.optim.Adagrad (defaults lr 1e-2, lrDecay 0, weightDecay 0,
// initialAccumulatorValue 0, eps 1e-10).
import { checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface AdagradOptions {
  lr?: LearningRate;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}

/** AdaGrad (torch.optim.Adagrad). */
export function adagrad(options?: AdagradOptions): Optimizer {
  const o = parseOptions('adagrad', options, {
    lr: 1e-2 as LearningRate,
    lrDecay: 0,
    weightDecay: 0,
    initialAccumulatorValue: 0,
    eps: 1e-10,
  });
  for (const k of ['lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const)
    checkNonNegative(o[k], `adagrad: ${k}`);
  return defineRule(
    'adagrad',
    (p) => newState({ sum: new Float32Array(p.length).fill(o.initialAccumulatorValue) }),
    (b, p, g, st) => {
      const clr = lrAt(o.lr, st.count, 'adagrad: lr') / (1 + st.count * o.lrDecay);
      b.optimAdagrad(p, g, stateBuffer('adagrad', st, 'sum', p.length), clr, o.eps, o.weightDecay);
    },
  );
}
