// AdaGrad-Norm (Ward, Wu, Bottou, "AdaGrad stepsizes", ICML 2019), closed form from the paper (no
// reference code): b² ← b² + ‖g‖²,  p ← p − lr/b · g, one scalar for the whole buffer. It runs on
// the backend's sumSquares and SGD kernels (two passes, 16 bytes per parameter).
import { checkPositive, lrAt, newState, parseOptions } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface AdagradNormOptions {
  lr?: LearningRate;
  /** Initial accumulator b₀ > 0 (the paper's point is robustness to it). */
  b0?: number;
}

/** AdaGrad-Norm: one adaptive step size from the accumulated gradient norms. */
export function adagradNorm(options?: AdagradNormOptions): Optimizer {
  const o = parseOptions('adagradNorm', options, { lr: 1.0 as LearningRate, b0: 1e-2 });
  checkPositive(o.b0, 'adagradNorm: b0');
  return defineRule(
    'adagradNorm',
    () => newState({}, { bSquared: o.b0 * o.b0 }),
    (b, p, g, st) => {
      const b2 = (st.scalars.bSquared ?? o.b0 * o.b0) + b.sumSquares(g);
      st.scalars.bSquared = b2;
      b.optimSgd(p, g, lrAt(o.lr, st.count, 'adagradNorm: lr') / Math.sqrt(b2), 0);
    },
  );
}
