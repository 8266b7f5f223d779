// Twin of native/core/optim/adagrad.cc: torch.optim.Adagrad (lr already decayed by the caller).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimAdagrad: OptimKernels['optimAdagrad'] = (p, g, sum, lr, eps, weightDecay) => {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const si = Math.fround((sum[i] as number) + gi * gi);
    sum[i] = si;
    p[i] = pi - (lr * gi) / (Math.sqrt(si) + eps);
  }
};
