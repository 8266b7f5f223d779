// Twin of native/core/optim/gravity.cc: the Keras Gravity reference, per segment max|g|.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimGravity: OptimKernels['optimGravity'] = (p, g, vel, segments, lr, betaHat) => {
  const c = 1 - betaHat;
  for (let s = 0; s < segments.length >> 1; s++) {
    const off = segments[2 * s] as number;
    const end = off + (segments[2 * s + 1] as number);
    let mx = 0;
    for (let i = off; i < end; i++) {
      const a = Math.abs(g[i] as number);
      if (a > mx) mx = a;
    }
    const invMax = Math.fround(1 / mx); // Infinity for an all-zero gradient: ζ = g = 0
    for (let i = off; i < end; i++) {
      const gi = g[i] as number;
      const r = gi / invMax;
      const zeta = gi / (1 + r * r);
      const vi = Math.fround(betaHat * (vel[i] as number) + c * zeta);
      vel[i] = vi;
      p[i] = (p[i] as number) - lr * vi;
    }
  }
};
