// Implicit hypergradients at an approximate inner solution w ≈ w*(λ) (implicit function theorem):
// dF/dλ = ∇_λF − (∂²f/∂λ∂w)·q with q ≈ (∇²_w f)⁻¹∇_w F, q by conjugate gradient (nn.cg, as in
// FAR-HO's ImplicitHG) or by the Neumann series of Lorraine et al. 2020 (train_augment_net2.py):
// p = v = ∇_w F; i times: v ← v − α·H·v, p ← p + v; q = α·p.
import { cg } from '../nn/cg.js';
import type { Direction } from './direction.js';
import type { BilevelProblem, HypergradientResult } from './types.js';
import { type InnerConfig, initState, step } from './unroll.js';

export type InverseSolve =
  | { kind: 'cg'; iters: number; damping: number }
  | { kind: 'neumann'; terms: number; lr: number };

export function implicitHypergradient(
  p: BilevelProblem,
  lambda: Float32Array,
  dir: Direction,
  cfg: InnerConfig,
  w0: Float32Array,
  steps: number,
  inverse: InverseSolve,
): HypergradientResult {
  const n = p.wSize;
  const s = initState(cfg, w0);
  const g = new Float32Array(n);
  for (let t = 1; t <= steps; t++) step(cfg, dir, s, t, g);
  const w = s.w;
  const gradW = new Float32Array(n);
  const grad = new Float32Array(p.lambdaSize);
  const value = p.outer(w, lambda, gradW, grad);
  let q: Float32Array;
  if (inverse.kind === 'cg') {
    q = cg((v, out) => dir.hvp(w, steps, v, out), gradW, { iters: inverse.iters, damping: inverse.damping }).x;
  } else {
    const acc = Float64Array.from(gradW);
    const v = gradW.slice();
    const hv = new Float32Array(n);
    for (let k = 0; k < inverse.terms; k++) {
      dir.hvp(w, steps, v, hv);
      for (let i = 0; i < n; i++) {
        v[i] = (v[i] as number) - inverse.lr * (hv[i] as number);
        acc[i] = (acc[i] as number) + (v[i] as number);
      }
    }
    q = new Float32Array(n);
    for (let i = 0; i < n; i++) q[i] = inverse.lr * (acc[i] as number);
  }
  const mixed = new Float32Array(p.lambdaSize);
  dir.mixedVjp(w, steps, q, mixed);
  for (let j = 0; j < grad.length; j++) grad[j] = (grad[j] as number) - (mixed[j] as number);
  dir.stats.storedFloats = inverse.kind === 'cg' ? 4 * n : 3 * n;
  return { value, grad, w, stats: dir.stats };
}
