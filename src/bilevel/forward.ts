// Forward-mode hypergradient (Franceschi et al. 2017, FMD): the tangents Z_t = dw_t/dλ (and of the
// optimizer's moments) are carried along the T inner steps, one per hyperparameter — memory
// O(|w|·|λ|) and no trajectory, cost O(|λ|) products per step.
import type { Direction } from './direction.js';
import type { BilevelProblem, HypergradientResult } from './types.js';
import { type InnerConfig, initState, step, type Tangent, tangentStep } from './unroll.js';

export function forwardHypergradient(
  p: BilevelProblem,
  lambda: Float32Array,
  dir: Direction,
  cfg: InnerConfig,
  w0: Float32Array,
  steps: number,
): HypergradientResult {
  const n = p.wSize;
  const q = p.lambdaSize;
  const s = initState(cfg, w0);
  const tangents: Tangent[] = Array.from({ length: q }, () => ({
    w: new Float32Array(n),
    m: new Float32Array(s.m.length),
    v: new Float32Array(s.v.length),
  }));
  dir.stats.storedFloats = q * (n + s.m.length + s.v.length);
  const g = new Float32Array(n);
  const gDots = Array.from({ length: q }, () => new Float32Array(n));
  const hv = new Float32Array(n);
  const e = new Float32Array(q);
  for (let t = 1; t <= steps; t++) {
    // ġ_j = ∂d/∂w·Z_j + ∂d/∂λ·e_j at w_{t−1}, before the step moves w.
    for (let j = 0; j < q; j++) {
      const gd = gDots[j] as Float32Array;
      const tan = tangents[j] as Tangent;
      e.fill(0);
      e[j] = 1;
      dir.mixedJvp(s.w, t, e, gd);
      dir.hvp(s.w, t, tan.w, hv);
      for (let i = 0; i < n; i++) gd[i] = (gd[i] as number) + (hv[i] as number);
    }
    step(cfg, dir, s, t, g);
    for (let j = 0; j < q; j++) tangentStep(cfg, t, tangents[j] as Tangent, gDots[j] as Float32Array, g, s);
  }
  const gradW = new Float32Array(n);
  const grad = new Float32Array(q);
  const value = p.outer(s.w, lambda, gradW, grad);
  for (let j = 0; j < q; j++) {
    const zw = (tangents[j] as Tangent).w;
    let acc = grad[j] as number;
    for (let i = 0; i < n; i++) acc += (gradW[i] as number) * (zw[i] as number);
    grad[j] = acc;
  }
  return { value, grad, w: s.w, stats: dir.stats };
}
