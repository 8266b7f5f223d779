// Twin of native/core/optim/adam.cc: torch.optim.Adam / AdamW, AMSGrad with torch's convention
// (max over raw v). One fused loop, math in double, moments rounded to float32 as stored.
import type { OptimKernels } from '../../kernels/optim.js';

export const optimAdam: OptimKernels['optimAdam'] = (p, g, m, v, vMax, s) => {
  const { b1, b2, eps, stepSize, invBc2Sqrt, weightDecay, decay } = s;
  const n = p.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  if (vMax.length === 0) {
    for (let i = 0; i < n; i++) {
      const pi = p[i] as number;
      const gi = (g[i] as number) + weightDecay * pi;
      const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
      const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
      m[i] = mi;
      v[i] = vi;
      p[i] = pi * decay - (stepSize * mi) / (Math.sqrt(vi) * invBc2Sqrt + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i] as number;
    const gi = (g[i] as number) + weightDecay * pi;
    const mi = Math.fround(b1 * (m[i] as number) + c1 * gi);
    const vi = Math.fround(b2 * (v[i] as number) + c2 * gi * gi);
    const old = vMax[i] as number;
    // biome-ignore lint/complexity/useMathMinMax: same NaN behaviour as the C++ loop
    const vm = old > vi ? old : vi;
    m[i] = mi;
    v[i] = vi;
    vMax[i] = vm;
    p[i] = pi * decay - (stepSize * mi) / (Math.sqrt(vm) * invBc2Sqrt + eps);
  }
};

export const optimAdamPredict: OptimKernels['optimAdamPredict'] = (p, m, v, out, stepSize, invBc2Sqrt, eps) => {
  const n = p.length;
  for (let i = 0; i < n; i++)
    out[i] = (p[i] as number) - (stepSize * (m[i] as number)) / (Math.sqrt(v[i] as number) * invBc2Sqrt + eps);
};
