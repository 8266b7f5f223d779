// Twin of native/core/optim/optimistic_amsgrad.cc: Optimistic-AMSGrad (paper, Algorithm 1) with
// the caller's prediction `guess` of the next gradient.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimOptimisticAmsgrad: OptimKernels['optimOptimisticAmsgrad'] = (p, g, guess, m, v, vHat, wHalf, s) => {
  const { lr, b1, b2 } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mPrev = m[i] as number;
    const mi = Math.fround(b1 * mPrev + c1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
    const old = vHat[i] as number;
    // biome-ignore lint/complexity/useMathMinMax: same NaN behaviour as the C++ loop
    const vh = old > vi ? old : vi;
    const root = Math.sqrt(vh);
    const wh = Math.fround((wHalf[i] as number) - (lr * mi) / root);
    const h = b1 * mPrev + c1 * (guess[i] as number);
    m[i] = mi;
    v[i] = vi;
    vHat[i] = vh;
    wHalf[i] = wh;
    p[i] = wh - (lr * h) / root;
  }
};
