// Twin of native/core/optim/diffgrad.cc: diffGrad_v2.py (friction ξ = sigmoid(|g_prev − g|)).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimDiffgrad: OptimKernels['optimDiffgrad'] = (p, g, m, v, gPrev, s) => {
  const { b1, b2, eps, stepSize, weightDecay } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = Math.fround((g[i] as number) + weightDecay * pi);
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
    const xi = 1 / (1 + Math.exp(-Math.abs((gPrev[i] as number) - gi)));
    m[i] = mi;
    v[i] = vi;
    gPrev[i] = gi;
    p[i] = pi - (stepSize * xi * mi) / (Math.sqrt(vi) + eps);
  }
};
