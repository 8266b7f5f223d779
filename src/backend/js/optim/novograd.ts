// Twin of native/core/optim/novograd.cc: optax.scale_by_novograd with one second moment per
// segment. The segment norm uses the vec kernel's blocked double sum, as the native code does.

import type { OptimKernels } from '../../kernels/optim.js';
import { sumSquares } from '../vec/vec.js';

export const optimNovograd: OptimKernels['optimNovograd'] = (p, g, m, nu, segments, s) => {
  const { lr, b1, b2, eps, weightDecay, first } = s;
  for (let s = 0; s < segments.length >> 1; s++) {
    const off = segments[2 * s] as number;
    const end = off + (segments[2 * s + 1] as number);
    const sq = sumSquares(g.subarray(off, end));
    const n = first ? sq : b2 * (nu[s] as number) + (1 - b2) * sq;
    nu[s] = n;
    const denom = Math.fround(Math.sqrt(n)) + eps;
    for (let i = off; i < end; i++) {
      const pi = p[i] as number;
      const u = (g[i] as number) / denom + weightDecay * pi;
      const mi = Math.fround(first ? u : b1 * (m[i] as number) + u);
      m[i] = mi;
      p[i] = pi - lr * mi;
    }
  }
};
