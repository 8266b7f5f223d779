// AdaGrad-Norm (Ward, Wu, Bottou, "AdaGrad stepsizes", ICML 2019), closed form from the paper (no
// reference code): b² ← b² + ‖g‖²,  p ← p − lr/b · g, one scalar for the whole buffer. It runs on
// the backend's sumSquares and SGD kernels (two passes, 16 bytes per parameter).
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.adagradNorm`; a field left out takes the default of the reference implementation the rule follows. */
export interface AdagradNormOptions {
  lr?: LearningRate;
  /** Initial accumulator b₀ > 0 (the paper's point is robustness to it). */
  b0?: number;
}

/** AdaGrad-Norm: one adaptive step size from the accumulated gradient norms. */
export function adagradNorm(options?: AdagradNormOptions): Optimizer {
  const o = ruleOptions('adagradNorm', options, { lr: 1.0, b0: 1e-2 });
  return defineRule({
    name: 'adagradNorm',
    lr: o.lr,
    buffers: {},
    scalars: { bSquared: o.b0 * o.b0 },
    step: ({ b, p, g, lr, state }) => {
      const b2 = (state.scalars.bSquared ?? o.b0 * o.b0) + b.sumSquares(g);
      state.scalars.bSquared = b2;
      b.optimSgd(p, g, lr / Math.sqrt(b2), 0);
    },
  });
}
