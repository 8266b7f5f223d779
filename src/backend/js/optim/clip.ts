// Twin of native/core/optim/clip.cc: elementwise clip to [lo, hi] (NaN passes through).
import type { OptimKernels } from '../../kernels/optim.js';

export const optimClipByValue: OptimKernels['optimClipByValue'] = (g, lo, hi) => {
  const flo = Math.fround(lo);
  const fhi = Math.fround(hi);
  const n = g.length;
  for (let i = 0; i < n; i++) {
    let x = g[i] as number;
    // biome-ignore lint/complexity/useMathMinMax: same NaN behaviour as the C++ loop
    x = x < flo ? flo : x;
    // biome-ignore lint/complexity/useMathMinMax: same NaN behaviour as the C++ loop
    g[i] = x > fhi ? fhi : x;
  }
};
