// Twin of native/core/optim/bandwidth.cc: STREAM-style copy and triad loops.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimStreamCopy: OptimKernels['optimStreamCopy'] = (dst, src) => {
  dst.set(src);
};

export const optimStreamTriad: OptimKernels['optimStreamTriad'] = (a, b, c, s) => {
  const n = a.length;
  for (let i = 0; i < n; i++) a[i] = (b[i] as number) + s * (c[i] as number);
};
