// Twin of native/core/optim/adamax.cc: torch.optim.Adamax.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimAdamax: OptimKernels['optimAdamax'] = (p, g, m, u, b1, b2, eps, stepSize, weightDecay) => {
  const n = p.length;
  const c1 = 1 - b1;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    const a = b2 * (u[i] as number);
    const b = Math.abs(gi) + eps;
    // biome-ignore lint/complexity/useMathMinMax: same NaN behaviour as the C++ loop
    const ui = Math.fround(a > b ? a : b);
    m[i] = mi;
    u[i] = ui;
    p[i] = pi - (stepSize * mi) / ui;
  }
};
