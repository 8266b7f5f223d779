// Lion (Chen et al. 2023), matching google/automl lion/lion_pytorch.py (defaults lr 1e-4, b1 0.9,
// b2 0.99, decoupled weightDecay 0; optax.lion defaults weightDecay to 1e-3 instead).
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface LionOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  weightDecay?: number;
}

/** Lion: sign of an interpolated momentum. */
export function lion(options?: LionOptions): Optimizer {
  const o = parseOptions('lion', options, { lr: 1e-4 as LearningRate, b1: 0.9, b2: 0.99, weightDecay: 0 });
  checkBeta(o.b1, 'lion: b1', true);
  checkBeta(o.b2, 'lion: b2', true);
  checkNonNegative(o.weightDecay, 'lion: weightDecay');
  return defineRule(
    'lion',
    (p) => newState({ m: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const lr = lrAt(o.lr, st.count, 'lion: lr');
      b.optimLion(p, g, stateBuffer('lion', st, 'm', p.length), lr, o.b1, o.b2, 1 - lr * o.weightDecay);
    },
  );
}
