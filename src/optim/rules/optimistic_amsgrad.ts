// Optimistic-AMSGrad (Wang, Li, Karimi, Li; arXiv 1903.01435, Algorithm 2), from the paper (no
// reference code). Simplification: the guess of the next gradient is the current gradient (the
// paper extrapolates over the last r gradients). v̂ starts at eps (the paper's v̂₀ = ε·1) and
// w_{−1/2} at the parameters of the first step. Defaults lr 1e-3, b1 0.9, b2 0.999, eps 1e-8.
import { checkBeta, checkPositive, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface OptimisticAmsgradOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
}

/** Optimistic-AMSGrad: AMSGrad with an extra step along the predicted next momentum. */
export function optimisticAmsgrad(options?: OptimisticAmsgradOptions): Optimizer {
  const o = parseOptions('optimisticAmsgrad', options, { lr: 1e-3 as LearningRate, b1: 0.9, b2: 0.999, eps: 1e-8 });
  checkBeta(o.b1, 'optimisticAmsgrad: b1');
  checkBeta(o.b2, 'optimisticAmsgrad: b2');
  checkPositive(o.eps, 'optimisticAmsgrad: eps');
  const fn = 'optimisticAmsgrad';
  return defineRule(
    fn,
    (p) =>
      newState({
        m: new Float32Array(p.length),
        v: new Float32Array(p.length),
        vHat: new Float32Array(p.length).fill(o.eps),
        wHalf: new Float32Array(p.length),
      }),
    (b, p, g, st) => {
      const n = p.length;
      const wHalf = stateBuffer(fn, st, 'wHalf', n);
      if (st.count === 0) wHalf.set(p);
      b.optimOptimisticAmsgrad(
        p,
        g,
        stateBuffer(fn, st, 'm', n),
        stateBuffer(fn, st, 'v', n),
        stateBuffer(fn, st, 'vHat', n),
        wHalf,
        lrAt(o.lr, st.count, `${fn}: lr`),
        o.b1,
        o.b2,
      );
    },
  );
}
