// Twin of native/core/optim/lookahead.cc: slow ← slow + α(fast − slow); fast ← slow.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimLookaheadSync: OptimKernels['optimLookaheadSync'] = (fast, slow, alpha) => {
  const n = fast.length;
  for (let i = 0; i < n; i++) {
    const s = slow[i] as number;
    const t = Math.fround(s + alpha * ((fast[i] as number) - s));
    slow[i] = t;
    fast[i] = t;
  }
};
