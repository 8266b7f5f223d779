// Twin of native/core/optim/adadelta.cc: torch.optim.Adadelta.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimAdadelta: OptimKernels['optimAdadelta'] = (p, g, sqAvg, accDelta, lr, rho, eps, weightDecay) => {
  const n = p.length;
  const c = 1 - rho;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const vi = Math.fround(rho * (sqAvg[i] as number) + c * gi * gi);
    const acc = accDelta[i] as number;
    const d = (Math.sqrt(acc + eps) / Math.sqrt(vi + eps)) * gi;
    sqAvg[i] = vi;
    accDelta[i] = rho * acc + c * d * d;
    p[i] = pi - lr * d;
  }
};
