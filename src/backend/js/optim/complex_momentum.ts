// Twin of native/core/optim/complex_momentum.cc: μ ← βμ − g (complex β), p ← p + lr·Re(μ).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimComplexMomentum: OptimKernels['optimComplexMomentum'] = (p, g, muRe, muIm, lr, betaRe, betaIm) => {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const r = muRe[i] as number;
    const c = muIm[i] as number;
    const nr = Math.fround(betaRe * r - betaIm * c - (g[i] as number));
    muRe[i] = nr;
    muIm[i] = betaRe * c + betaIm * r;
    p[i] = (p[i] as number) + lr * nr;
  }
};
