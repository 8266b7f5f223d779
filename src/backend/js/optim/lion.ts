// Twin of native/core/optim/lion.cc: google/automl lion_pytorch.py (sign(0) = 0).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimLion: OptimKernels['optimLion'] = (p, g, m, lr, b1, b2, decay) => {
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  // Math.fround(b1) etc. keep the sign decision the same as the float32 native loop.
  const fb1 = Math.fround(b1);
  const fc1 = Math.fround(c1);
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = m[i] as number;
    const c = Math.fround(Math.fround(fb1 * mi) + Math.fround(fc1 * gi));
    const sgn = c > 0 ? 1 : c < 0 ? -1 : 0;
    p[i] = (p[i] as number) * decay - lr * sgn;
    m[i] = b2 * mi + c2 * gi;
  }
};
