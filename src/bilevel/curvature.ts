// The inner step size's default: 1/L with L an upper bound on the inner Hessian's norm, from the
// problem when it states one, else from power iteration on HVPs at the starting point (with a
// margin, since power iteration approaches the top eigenvalue from below).
import type { BilevelProblem } from './types.js';

/** Largest |eigenvalue| of a symmetric operator by power iteration in float64 (deterministic start). */
export function powerIteration(apply: (v: Float64Array) => Float64Array, n: number, iters = 100): number {
  let v: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 + 0.01 * Math.sin(1 + i); // not orthogonal to the top eigenvector in practice
  let rho = 0;
  for (let k = 0; k < iters; k++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (v[i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) return 0;
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) / norm;
    const av = apply(v);
    let r = 0;
    for (let i = 0; i < n; i++) r += (v[i] as number) * (av[i] as number);
    rho = Math.abs(r);
    v = av;
  }
  return rho;
}

const MARGIN = 1.25;

export function curvatureBound(p: BilevelProblem, lambda: Float32Array, w0: Float32Array): number {
  if (p.curvatureBound) {
    const L = p.curvatureBound(lambda);
    if (!(L > 0) || !Number.isFinite(L))
      throw new RangeError(`bilevel: problem '${p.name}': curvatureBound: expected a finite number > 0, got ${L}`);
    return L;
  }
  const n = p.wSize;
  const v32 = new Float32Array(n);
  const out = new Float32Array(n);
  const L =
    MARGIN *
    powerIteration(
      (v) => {
        for (let i = 0; i < n; i++) v32[i] = v[i] as number;
        p.innerHvp(w0, lambda, v32, out);
        return Float64Array.from(out);
      },
      n,
      30,
    );
  if (!(L > 0) || !Number.isFinite(L))
    throw new RangeError(`bilevel: problem '${p.name}': cannot estimate the inner curvature (got ${L}); pass innerLr`);
  return L;
}
