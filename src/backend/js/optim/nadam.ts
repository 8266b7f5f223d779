// Twin of native/core/optim/nadam.cc: torch.optim.NAdam (scalar coefficients from the caller).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimNadam: OptimKernels['optimNadam'] = (p, g, m, v, s) => {
  const { b1, b2, eps, invBc2, gradCoef, momCoef, weightDecay, decay } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    const d = Math.sqrt(vi * invBc2) + eps;
    p[i] = pi * decay - (gradCoef * gi) / d - (momCoef * mi) / d;
  }
};
