// Twin of native/core/optim/aegd.cc: txping/AEGD aegd.py (decay added after the energy scaling).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimAegd: OptimKernels['optimAegd'] = (p, g, energy, lr, gradScale, weightDecay) => {
  const n = p.length;
  const twoLr = 2 * lr;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const v = (g[i] as number) * gradScale + weightDecay * pi;
    const ri = Math.fround((energy[i] as number) / (1 + twoLr * v * v));
    energy[i] = ri;
    p[i] = pi - twoLr * ri * v;
  }
};
