// Yogi, matching optax.yogi (defaults lr 1e-2, b1 0.9, b2 0.999, eps 1e-3,
// initialAccumulatorValue 1e-6 for both moments; bias-corrected as optax.scale_by_yogi).
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface YogiOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  initialAccumulatorValue?: number;
}

/** Yogi (Zaheer et al. 2018; optax.yogi). */
export function yogi(options?: YogiOptions): Optimizer {
  const o = parseOptions('yogi', options, {
    lr: 1e-2 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-3,
    initialAccumulatorValue: 1e-6,
  });
  checkBeta(o.b1, 'yogi: b1');
  checkBeta(o.b2, 'yogi: b2');
  checkNonNegative(o.eps, 'yogi: eps');
  checkNonNegative(o.initialAccumulatorValue, 'yogi: initialAccumulatorValue');
  return defineRule(
    'yogi',
    (p) =>
      newState({
        m: new Float32Array(p.length).fill(o.initialAccumulatorValue),
        v: new Float32Array(p.length).fill(o.initialAccumulatorValue),
      }),
    (b, p, g, st) => {
      const n = p.length;
      const t = st.count + 1;
      const lr = lrAt(o.lr, st.count, 'yogi: lr');
      b.optimYogi(
        p,
        g,
        stateBuffer('yogi', st, 'm', n),
        stateBuffer('yogi', st, 'v', n),
        o.b1,
        o.b2,
        o.eps,
        lr / (1 - o.b1 ** t),
        1 / (1 - o.b2 ** t),
      );
    },
  );
}
