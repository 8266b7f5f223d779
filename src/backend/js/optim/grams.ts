// Twin of native/core/optim/grams.cc: Grams from the paper's formula (sign of g, |Adam ratio|).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimGrams: OptimKernels['optimGrams'] = (p, g, m, v, s) => {
  const { b1, b2, eps, stepSize, invBc2Sqrt, decay } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    const mag = Math.abs((stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps));
    const sgn = gi > 0 ? 1 : gi < 0 ? -1 : 0;
    p[i] = (p[i] as number) * decay - sgn * mag;
  }
};
