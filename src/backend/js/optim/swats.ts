// Twin of native/core/optim/swats.cc: the SWATS Adam phase with the two dot products of the
// switch test, summed over the same 4096-element blocks in double.
import type { OptimKernels } from '../../kernels/optim.js';

const BLOCK = 4096;

export const optimSwatsAdam: OptimKernels['optimSwatsAdam'] = (p, g, m, a, s, dots) => {
  const { b1, b2, eps, stepSize, weightDecay } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  let pp = 0;
  let pg = 0;
  for (let b = 0; b < n; b += BLOCK) {
    const end = Math.min(n, b + BLOCK);
    let bpp = 0;
    let bpg = 0;
    for (let i = b; i < end; i++) {
      const pi = p[i] as number;
      const gi = Math.fround((g[i] as number) + weightDecay * pi);
      const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
      const ai = Math.fround(b2 * (a[i] as number) + c2 * gi * gi);
      m[i] = mi;
      a[i] = ai;
      const step = Math.fround((-stepSize * mi) / (Math.sqrt(ai) + eps));
      p[i] = pi + step;
      bpp += step * step;
      bpg += step * gi;
    }
    pp += bpp;
    pg += bpg;
  }
  dots[0] = pp;
  dots[1] = pg;
};
