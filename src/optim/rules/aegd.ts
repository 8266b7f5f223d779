// AEGD (Liu & Tian, arXiv 2010.05109), matching txping/AEGD aegd.py (defaults lr 0.1, c 1,
// coupled weightDecay 0). Needs the loss of each step: opt.step(params, grads, state, { loss }).
// The energy r starts at sqrt(f₀ + c) on the first step and never increases.
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.aegd`; a field left out takes the default of the reference implementation the rule follows. */
export interface AegdOptions {
  lr?: LearningRate;
  /** Shift with f + c > 0. */
  c?: number;
  weightDecay?: number;
}

/** AEGD: energy-adaptive gradient descent. */
export function aegd(options?: AegdOptions): Optimizer {
  const o = ruleOptions('aegd', options, { lr: 0.1, c: 1, weightDecay: 0 });
  return defineRule({
    name: 'aegd',
    lr: o.lr,
    buffers: { energy: 0 },
    step: ({ b, p, g, lr, state, extra }, { energy }) => {
      const loss = extra?.loss;
      if (typeof loss !== 'number')
        throw new TypeError('aegd: step needs the loss: step(params, grads, state, { loss })');
      const shifted = loss + o.c;
      if (!(shifted > 0) || !Number.isFinite(shifted))
        throw new RangeError(`aegd: loss + c must be finite and > 0, got ${shifted}`);
      const sq = Math.sqrt(shifted);
      if (state.count === 0) energy.fill(sq);
      b.optimAegd(p, g, energy, lr, 1 / (2 * sq), o.weightDecay);
    },
  });
}
