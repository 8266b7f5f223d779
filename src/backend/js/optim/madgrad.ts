// Twin of native/core/optim/madgrad.cc: facebookresearch/madgrad madgrad.py.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimMadgrad: OptimKernels['optimMadgrad'] = (p, g, s, nu, x0, sc) => {
  const { lr, lamb, eps, momentum, weightDecay, decoupled } = sc;
  const n = p.length;
  const ck = 1 - momentum;
  const couple = decoupled ? 0 : weightDecay;
  const decoupleStep = decoupled ? lr * weightDecay : 0;
  const hasX0 = x0.length > 0;
  for (let i = 0; i < n; i++) {
    const pold = p[i] as number;
    const gi = (g[i] as number) + couple * pold;
    const sOld = s[i] as number;
    const nuOld = nu[i] as number;
    const x0i = hasX0 ? (x0[i] as number) : Math.fround(pold + sOld / (Math.cbrt(nuOld) + eps));
    const ni = Math.fround(nuOld + lamb * gi * gi);
    const si = Math.fround(sOld + lamb * gi);
    nu[i] = ni;
    s[i] = si;
    const z = x0i - si / (Math.cbrt(ni) + eps);
    const pnew = hasX0 ? pold * momentum + z * ck : z;
    p[i] = pnew - decoupleStep * pold;
  }
};
