// games.lyapunov / growthDirections / branch (Lorraine et al., "Lyapunov Exponents for Diversity in
// Differentiable Games", AAMAS 2022; Benettin et al. 1980 for the QR method). References: for a
// linear field the GDA map is the matrix M = I − ηJ, so the finite-time exponents are recomputed
// here from dense float64 powers of M (a separate code path from the game products), and the
// asymptotic exponents are log |μᵢ| of M's eigenvalues. The pitchfork check is the one in
// shared/reference §4.5: at 0 the per-step rate is log(1 + ηr) and the branches reach ±√r.
import { describe, expect, it } from 'vitest';
import { initialFrame, orthonormalize } from '../src/games/lyapunov.js';
import { games } from '../src/index.js';

const f32 = (...v: number[]) => new Float32Array(v);

// Dense J of the field ξ = (∇ₓf, −∇ᵧf) for f = ½xᵀAxx x + xᵀAxy y + ½yᵀAyy y, float64.
function fieldJacobian(m: number, n: number, Axx: number[], Axy: number[], Ayy: number[]): number[][] {
  const d = m + n;
  const J = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) (J[i] as number[])[k] = Axx[i * m + k] as number;
    for (let j = 0; j < n; j++) (J[i] as number[])[m + j] = Axy[i * n + j] as number;
  }
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) (J[m + j] as number[])[i] = -(Axy[i * n + j] as number);
    for (let k = 0; k < n; k++) (J[m + j] as number[])[m + k] = -(Ayy[j * n + k] as number);
  }
  return J;
}

// (1/T) Σ log|R_ii| for M^T Q0 in float64: dense products, re-orthonormalized each step.
function referenceExponents(J: number[][], lr: number, T: number, k: number, normalizeOnly = false): number[] {
  const d = J.length;
  let Q = initialFrame(d, k);
  orthonormalize(Q);
  const sum = new Array<number>(k).fill(0);
  for (let t = 0; t < T; t++) {
    Q = Q.map((q) =>
      Float64Array.from({ length: d }, (_, i) => {
        let s = q[i] as number;
        for (let c = 0; c < d; c++) s -= lr * ((J[i] as number[])[c] as number) * (q[c] as number);
        return s;
      }),
    );
    if (normalizeOnly) {
      // The plausible wrong variant: renormalize each vector but never orthogonalize.
      Q.forEach((q, i) => {
        const nrm = Math.hypot(...q);
        sum[i] = (sum[i] as number) + Math.log(nrm);
        for (let c = 0; c < d; c++) q[c] = (q[c] as number) / nrm;
      });
    } else {
      const r = orthonormalize(Q);
      for (let i = 0; i < k; i++) sum[i] = (sum[i] as number) + Math.log(r[i] as number);
    }
  }
  return sum.map((s) => s / T);
}

describe('games.lyapunov: linear systems with known exponents', () => {
  // Bilinear xᵀAy with A = diag(1.5, 0.5): J_ξ has eigenvalues ±1.5i, ±0.5i, so I − ηJ has moduli
  // √(1 + η²σ²), each twice: GDA's spiral-out rate on a bilinear game.
  const A = [1.5, 0, 0, 0.5];
  const g = games.bilinear(Float32Array.from(A), { m: 2, n: 2 });
  const lr = 0.2;
  const x0 = f32(0.3, -0.2);
  const y0 = f32(0.1, 0.4);

  it('finite-time exponents equal the float64 dense-matrix reference of the same QR recursion', () => {
    const T = 200;
    const r = games.lyapunov(g, { x0, y0, lr, steps: T, count: 4 });
    const ref = referenceExponents(fieldJacobian(2, 2, [0, 0, 0, 0], A, [0, 0, 0, 0]), lr, T, 4);
    for (let i = 0; i < 4; i++) expect(Math.abs((r.exponents[i] as number) - (ref[i] as number))).toBeLessThan(1e-7);
  });

  it('tend to log|μᵢ| of I − ηJ (the asymptotic exponents), largest first', () => {
    const r = games.lyapunov(g, { x0, y0, lr, steps: 3000, count: 4 });
    const want = [1.5, 1.5, 0.5, 0.5].map((s) => 0.5 * Math.log(1 + lr * lr * s * s));
    for (let i = 0; i < 4; i++) expect(Math.abs((r.exponents[i] as number) - (want[i] as number))).toBeLessThan(2e-3);
    // The frame stays orthonormal.
    const [a, b] = r.vectors as [Float64Array, Float64Array];
    expect(Math.abs(a.reduce((s, e, i) => s + e * (b[i] as number), 0))).toBeLessThan(1e-12);
  });

  it('a non-normal quadratic: exponents tend to log|μᵢ| of I − ηJ; renormalizing without QR does not', () => {
    const Axx = [1, 0.5, 0.5, -0.5];
    const Axy = [0.8, -0.3];
    const Ayy = [0.6];
    const q = games.quadratic({ m: 2, n: 1, Axx: Float32Array.from(Axx), Axy: Float32Array.from(Axy), Ayy: f32(0.6) });
    const J = fieldJacobian(2, 1, Axx, Axy, Ayy);
    const T = 4000;
    const r = games.lyapunov(q, { lr: 0.1, steps: T, count: 3 });
    // Eigenvalues of the 3 × 3 M by the characteristic polynomial's real roots are awkward; instead
    // compare to the dense reference at the same T (tight) and to log|det M| for the sum (exact).
    const ref = referenceExponents(J, 0.1, T, 3);
    for (let i = 0; i < 3; i++) expect(Math.abs((r.exponents[i] as number) - (ref[i] as number))).toBeLessThan(1e-6);
    const M = J.map((row, i) => row.map((v, c) => (i === c ? 1 : 0) - 0.1 * v));
    const det = (M[0]![0]! * (M[1]![1]! * M[2]![2]! - M[1]![2]! * M[2]![1]!) -
      M[0]![1]! * (M[1]![0]! * M[2]![2]! - M[1]![2]! * M[2]![0]!) +
      M[0]![2]! * (M[1]![0]! * M[2]![1]! - M[1]![1]! * M[2]![0]!)) as number;
    const total = r.exponents.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - Math.log(Math.abs(det)))).toBeLessThan(1e-6);
    // Wrong variant: without orthogonalization every vector aligns with the top direction.
    const wrong = referenceExponents(J, 0.1, T, 3, true);
    expect(Math.abs((wrong[2] as number) - (r.exponents[2] as number))).toBeGreaterThan(1e-2);
  });

  it('growthDirections: for a symmetric map the directions are its eigenvectors, rates log|μ|', () => {
    // f = ½xᵀdiag(−1, 0.5)x + ½·2y² (no coupling): M = diag(1.1, 0.95, 1.2) at η = 0.1.
    const q = games.quadratic({ m: 2, n: 1, Axx: f32(-1, 0, 0, 0.5), Axy: f32(0, 0), Ayy: f32(2) });
    const d = games.growthDirections(q, { lr: 0.1, steps: 10, count: 2, iterations: 60 });
    expect(d.rates[0]).toBeCloseTo(Math.log(1.2), 6);
    expect(d.rates[1]).toBeCloseTo(Math.log(1.1), 6);
    expect(Math.abs(d.vectors[0]![2]!)).toBeCloseTo(1, 6);
    expect(Math.abs(d.vectors[1]![0]!)).toBeCloseTo(1, 6);
  });
});

describe('games.branch and games.doubleWell', () => {
  it('pitchfork: at 0 every per-step exponent is log(1 + ηr); branches reach the four (±√r, ±√r)', () => {
    const r = 0.5;
    const g = games.doubleWell({ m: 1, n: 1, r });
    const l = games.lyapunov(g, { lr: 0.1, steps: 30, count: 2 });
    for (const e of l.exponents) expect(e).toBeCloseTo(Math.log(1 + 0.1 * r), 6);
    const b = games.branch(g, { lr: 0.1, count: 2, depth: 2, solver: { method: 'gda', lr: 0.1, steps: 600 } });
    const found = b.solutions.map((s) => `${Math.sign(s.x[0]!)},${Math.sign(s.y[0]!)}`).sort();
    expect(found).toEqual(['-1,-1', '-1,1', '1,-1', '1,1']);
    for (const s of b.solutions) {
      expect(Math.abs(Math.abs(s.x[0]!) - Math.sqrt(r))).toBeLessThan(1e-5);
      expect(Math.abs(Math.abs(s.y[0]!) - Math.sqrt(r))).toBeLessThan(1e-5);
    }
    expect(b.nodes).toBe(1); // the corners are stable, nothing to re-branch
  });

  it('a stable start gives no branches; branch is deterministic', () => {
    const g = games.doubleWell({ m: 1, n: 1, coupling: 0.1 });
    expect(games.branch(g, { lr: 0.1, x0: f32(1), y0: f32(1) }).runs).toBe(0);
    const opts = { lr: 0.05, count: 2 };
    const a = games.branch(games.doubleWell({ m: 2, n: 2, coupling: 0.1 }), opts);
    const b = games.branch(games.doubleWell({ m: 2, n: 2, coupling: 0.1 }), opts);
    expect(a.solutions.map((s) => [...s.x, ...s.y])).toEqual(b.solutions.map((s) => [...s.x, ...s.y]));
  });

  it('doubleWell products match central differences of its gradient', () => {
    const g = games.doubleWell({ m: 2, n: 2, r: f32(1, 0.8, 0.6, 0.45), coupling: 0.3 });
    const x = f32(0.4, -0.7);
    const y = f32(0.9, 0.2);
    const h = 1e-3;
    const grad = (xx: Float32Array, yy: Float32Array) => {
      const gx = new Float32Array(2);
      const gy = new Float32Array(2);
      g.grad(xx, yy, gx, gy);
      return [...gx, ...gy];
    };
    for (let k = 0; k < 4; k++) {
      const e = (s: number) => [0, 1, 2, 3].map((i) => (i === k ? s * h : 0));
      const p = e(1);
      const q = e(-1);
      const gp = grad(f32(x[0]! + p[0]!, x[1]! + p[1]!), f32(y[0]! + p[2]!, y[1]! + p[3]!));
      const gm = grad(f32(x[0]! + q[0]!, x[1]! + q[1]!), f32(y[0]! + q[2]!, y[1]! + q[3]!));
      const fd = gp.map((v, i) => (v - gm[i]!) / (2 * h));
      const u = f32(k === 0 ? 1 : 0, k === 1 ? 1 : 0);
      const v = f32(k === 2 ? 1 : 0, k === 3 ? 1 : 0);
      const ox = new Float32Array(2);
      const oy = new Float32Array(2);
      const t = new Float32Array(2);
      const s = new Float32Array(2);
      g.dxx(x, y, u, ox);
      g.dxy(x, y, v, t);
      g.dyx(x, y, u, oy);
      g.dyy(x, y, v, s);
      const col = [ox[0]! + t[0]!, ox[1]! + t[1]!, oy[0]! + s[0]!, oy[1]! + s[1]!];
      for (let i = 0; i < 4; i++) expect(Math.abs(col[i]! - fd[i]!)).toBeLessThan(1e-3);
    }
  });

  it('errors name the argument', () => {
    const g = games.doubleWell({ m: 1, n: 1 });
    expect(() => games.lyapunov(g, { lr: 0.1, steps: 5, count: 3 })).toThrow(/count/);
    expect(() => games.lyapunov(g, { lr: -1, steps: 5 })).toThrow(/lr/);
    expect(() => games.lyapunov(g, { lr: 0.1, steps: 5, x0: f32(1, 2) })).toThrow(/x0/);
    expect(() => games.branch(g, { lr: 0.1, radius: 0 })).toThrow(/radius/);
    expect(() => games.doubleWell({ m: 2, n: 1, r: f32(1, 2) })).toThrow(/r \(a number or m \+ n = 3/);
  });
});
