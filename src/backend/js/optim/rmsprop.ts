// Twin of native/core/optim/rmsprop.cc: torch.optim.RMSprop (centered when gAvg is non-empty,
// momentum when buf is non-empty).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimRmsprop: OptimKernels['optimRmsprop'] = (p, g, sqAvg, gAvg, buf, s) => {
  const { lr, decay, eps, momentum, weightDecay } = s;
  const n = p.length;
  const c = 1 - decay;
  const centered = gAvg.length > 0;
  const useMomentum = buf.length > 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const vi = Math.fround(decay * (sqAvg[i] as number) + c * gi * gi);
    sqAvg[i] = vi;
    let d: number;
    if (centered) {
      const ga = Math.fround(decay * (gAvg[i] as number) + c * gi);
      gAvg[i] = ga;
      d = Math.sqrt(vi - ga * ga) + eps;
    } else {
      d = Math.sqrt(vi) + eps;
    }
    if (useMomentum) {
      const b = Math.fround(momentum * (buf[i] as number) + gi / d);
      buf[i] = b;
      p[i] = pi - lr * b;
    } else {
      p[i] = pi - (lr * gi) / d;
    }
  }
};
