// Twin of native/core/optim/yogi.cc: optax.scale_by_yogi with the learning rate folded in.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimYogi: OptimKernels['optimYogi'] = (p, g, m, v, b1, b2, eps, stepSize, invBc2) => {
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const g2 = gi * gi;
    const vo = v[i] as number;
    const diff = vo - g2;
    const sgn = diff > 0 ? 1 : diff < 0 ? -1 : 0;
    const vi = Math.fround(vo - c2 * sgn * g2);
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = (p[i] as number) - (stepSize * mi) / (Math.sqrt(vi * invBc2) + eps);
  }
};
