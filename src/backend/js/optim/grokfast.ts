// Twin of native/core/optim/grokfast.cc: ironjr/grokfast gradfilter_ema on a gradient buffer.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimGrokfastEma: OptimKernels['optimGrokfastEma'] = (g, mu, alpha, lamb, first) => {
  const n = g.length;
  const c = 1 - alpha;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const prev = first ? gi : (mu[i] as number);
    const m = Math.fround(prev * alpha + gi * c);
    mu[i] = m;
    g[i] = gi + m * lamb;
  }
};
