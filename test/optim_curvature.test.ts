// Second-order rules over the curvature oracle (step's extra.curvature), each against a float64
// reference written from its paper / reference code:
//   - FOSI: hsivan/fosi fosi_optimizer.py (Δ = c·(Δ₂ − VVᵀΔ₂) − α·V diag(1/|λ|)Vᵀv, c = clip(λ₁/λ_k, 1, 3));
//   - saddle-free Newton: Dauphin et al. 2014, −|H|⁻¹g (exact when the Krylov rank is n);
//   - natural gradient: (F + λI)⁻¹g with F the closed-form Fisher of a linear-Gaussian model.
// Products are float32, so agreement is to ~1e-5 relative; each test also shows a wrong variant
// (no clip scaling, Newton instead of |H|, the plain gradient) lies far outside that.
import { describe, expect, it } from 'vitest';
import { nn, optim } from '../src/index.js';
import type { CurvatureOracle } from '../src/optim/index.js';
import { symmetricEigen } from '../src/util/eigen.js';
import { maxRelDiff } from './helpers/backends.js';
import { solveDense } from './helpers/linalg.js';

/** The oracle of the quadratic ½xᵀAx (A symmetric, row-major n×n). */
function quadratic(A: Float64Array, n: number): Required<CurvatureOracle> {
  const mv = (v: Float32Array, out: Float32Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * v[j]!;
      out[i] = s;
    }
  };
  return { hvp: mv, ggnvp: mv };
}

function gradOf(A: Float64Array, n: number, x: Float32Array): Float32Array {
  const g = new Float32Array(n);
  quadratic(A, n).hvp(x, g);
  return g;
}

/** Q diag(d) Qᵀ with Q from a fixed rotation sequence. */
function spectrum(d: number[]): Float64Array {
  const n = d.length;
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let p = 0; p + 1 < n; p++) {
    const c = Math.cos(0.3 + p);
    const s = Math.sin(0.3 + p);
    for (let k = 0; k < n; k++) {
      const a = Q[k * n + p]!;
      const b = Q[k * n + p + 1]!;
      Q[k * n + p] = c * a - s * b;
      Q[k * n + p + 1] = s * a + c * b;
    }
  }
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) A[i * n + j] = A[i * n + j]! + Q[i * n + k]! * d[k]! * Q[j * n + k]!;
  return A;
}

describe('optim.fosi', () => {
  it('with k = 0 (and before its first estimate) is exactly its base optimizer', () => {
    const n = 6;
    const A = spectrum([5, 3, 2, 1, 0.5, 0.2]);
    for (const o of [{ k: 0 }, { k: 2, every: 100 }]) {
      const f = optim.fosi({ base: optim.adam({ lr: 0.05 }), ...o });
      const a = optim.adam({ lr: 0.05 });
      const x1 = Float32Array.from([1, -1, 0.5, 2, -0.3, 0.7]);
      const x2 = x1.slice();
      const [s1, s2] = [f.init(x1), a.init(x2)];
      for (let t = 0; t < 10; t++) {
        f.step(x1, gradOf(A, n, x1), s1, { curvature: quadratic(A, n) });
        a.step(x2, gradOf(A, n, x2), s2);
      }
      expect(Array.from(x1)).toEqual(Array.from(x2));
    }
  });

  it('on a diagonal quadratic: recovers the top-k spectrum, c = clip(λ₁/λ_k, 1, 3), and the reference step', () => {
    const d = [10, 4, 2, 1, 0.5, 0.1];
    const n = d.length;
    const A = new Float64Array(n * n);
    d.forEach((v, i) => {
      A[i * n + i] = v;
    });
    const x0 = Float32Array.from([1, -2, 0.5, 1.5, -1, 2]);
    const lr = 0.1;
    const [alpha, beta] = [0.1, 0.9];
    const f = optim.fosi({ base: optim.sgd({ lr }), k: 2, every: 1, lanczosIters: n });
    const st = f.init(x0);
    const x = x0.slice();
    const xs: Float64Array[] = [];
    // Reference: V = (e₀, e₁), c = 10/4 = 2.5; g₂ = g off the top coordinates, momentum on g₁.
    const ref = Float64Array.from(x0);
    const mom = new Float64Array(n);
    const c = 2.5;
    for (let t = 0; t < 3; t++) {
      f.step(x, gradOf(A, n, x), st, { curvature: quadratic(A, n) });
      xs.push(Float64Array.from(x));
      const g = ref.map((v, i) => d[i]! * v);
      for (let i = 0; i < n; i++) {
        if (i < 2) {
          mom[i] = beta * mom[i]! + (1 - beta) * g[i]!;
          ref[i] = ref[i]! - (alpha * mom[i]!) / d[i]!;
        } else ref[i] = ref[i]! - c * lr * g[i]!;
      }
      expect(maxRelDiff(x, ref)).toBeLessThan(1e-5);
    }
    const lam = st.buffers.lambda as Float64Array;
    expect(Math.abs(lam[0]! - 10)).toBeLessThan(1e-5);
    expect(Math.abs(lam[1]! - 4)).toBeLessThan(1e-5);
    expect(st.scalars.c).toBeCloseTo(2.5, 6);
    // Wrong variant: without the clip scaling (c = 1) the complement moves 2.5× less.
    const f1 = optim.fosi({ base: optim.sgd({ lr }), k: 2, every: 1, lanczosIters: n, learningRateClip: 1 });
    const s1 = f1.init(x0);
    const y = x0.slice();
    f1.step(y, gradOf(A, n, y), s1, { curvature: quadratic(A, n) });
    expect(maxRelDiff(y, xs[0]!)).toBeGreaterThan(1e-2);
  });

  it('names bad options and a missing oracle', () => {
    expect(() => optim.fosi({} as never)).toThrow(/base/);
    expect(() => optim.fosi({ base: optim.sgd(), k: -1 })).toThrow(/k/);
    expect(() => optim.fosi({ base: optim.sgd(), k: 3, lanczosIters: 2 })).toThrow(/lanczosIters/);
    expect(() => optim.fosi({ base: optim.sgd(), learningRateClip: 0.5 })).toThrow(/learningRateClip/);
    const f = optim.fosi({ base: optim.sgd(), k: 1, every: 1 });
    const x = new Float32Array(3).fill(1);
    expect(() => f.step(x, x.slice(), f.init(x))).toThrow(/extra\.curvature\.hvp/);
  });
});

describe('optim.saddleFreeNewton', () => {
  it('on a quadratic with mixed-sign spectrum and rank = n is Newton on |H|: −|H|⁻¹g', () => {
    const d = [3, -2, 0.5, -0.1, 1];
    const n = d.length;
    const A = spectrum(d);
    const x0 = Float32Array.from([0.3, -1, 0.8, 0.2, -0.5]);
    const g = gradOf(A, n, x0);
    // |H| = Q|Λ|Qᵀ by Jacobi (independent of the Lanczos + QL path).
    const vals = new Float64Array(n);
    const vecs = new Float64Array(n * n);
    symmetricEigen(A, n, vals, vecs);
    const absH = new Float64Array(n * n);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          absH[i * n + j] = absH[i * n + j]! + Math.abs(vals[k]!) * vecs[i * n + k]! * vecs[j * n + k]!;
    const rows = Array.from({ length: n }, (_, i) => absH.subarray(i * n, (i + 1) * n));
    const want = Float64Array.from(solveDense(rows, g), (s, i) => x0[i]! - s);
    const opt = optim.saddleFreeNewton({ rank: n, damping: 0 });
    const x = x0.slice();
    opt.step(x, g, opt.init(x), { curvature: quadratic(A, n) });
    expect(maxRelDiff(x, want)).toBeLessThan(2e-5);
    // Wrong variant: Newton (absolute: false) solves H, not |H|, and lands at the saddle x = 0.
    const newton = optim.saddleFreeNewton({ rank: n, damping: 0, absolute: false });
    const y = x0.slice();
    newton.step(y, g, newton.init(y), { curvature: quadratic(A, n) });
    expect(maxRelDiff(y, new Float64Array(n))).toBeLessThan(1e-5);
    expect(maxRelDiff(x, y)).toBeGreaterThan(0.1);
  });

  it('on x² − y² from (1, 1e-3): Newton jumps to the saddle, SFN doubles y (repelled)', () => {
    const A = Float64Array.from([2, 0, 0, -2]);
    const run = (absolute: boolean) => {
      const opt = optim.saddleFreeNewton({ rank: 2, damping: 0, absolute });
      const p = Float32Array.from([1, 1e-3]);
      const st = opt.init(p);
      opt.step(p, gradOf(A, 2, p), st, { curvature: quadratic(A, 2) });
      return { p, minEig: st.scalars.minEig };
    };
    const sfn = run(true);
    expect(sfn.p[0]).toBeCloseTo(0, 6);
    expect(sfn.p[1]).toBeCloseTo(2e-3, 8);
    expect(sfn.minEig).toBeCloseTo(-2, 5);
    const newton = run(false);
    expect(Math.abs(newton.p[0]!) + Math.abs(newton.p[1]!)).toBeLessThan(1e-7);
  });

  it('names bad options and a missing oracle', () => {
    expect(() => optim.saddleFreeNewton({ rank: 0 })).toThrow(/rank/);
    expect(() => optim.saddleFreeNewton({ damping: -1 })).toThrow(/damping/);
    const opt = optim.saddleFreeNewton();
    const x = new Float32Array(2).fill(1);
    expect(() => opt.step(x, x.slice(), opt.init(x), { curvature: {} })).toThrow(/extra\.curvature\.hvp/);
  });
});

describe('optim.naturalGradient', () => {
  it('on a linear-Gaussian model equals the closed-form (F + λI)⁻¹g, F = (2/(N·O)) Σ Jₙᵀ Jₙ', () => {
    const [I, O, N] = [3, 2, 7];
    const net = nn.mlp({ sizes: [I, O], activation: 'identity' });
    const params = net.init(1);
    const x = Float32Array.from({ length: N * I }, (_, i) => Math.sin(1.3 * i + 0.2));
    const target = Float32Array.from({ length: N * O }, (_, i) => Math.cos(0.7 * i));
    const loss = nn.loss.mse(target);
    const g = new Float32Array(net.size);
    net.gradInto(params, x, N, loss, g);
    // θ = (W [I×O] row-major, b [O]); ∂y_{n,o}/∂W_{i,o} = x_{n,i}, ∂y_{n,o}/∂b_o = 1.
    const P = net.size;
    const F = Array.from({ length: P }, () => new Float64Array(P));
    const lambda = 1e-3;
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++) {
        const J = new Float64Array(P);
        for (let i = 0; i < I; i++) J[i * O + o] = x[n * I + i]!;
        J[I * O + o] = 1;
        for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) F[a]![b] = F[a]![b]! + (2 / (N * O)) * J[a]! * J[b]!;
      }
    for (let a = 0; a < P; a++) F[a]![a] = F[a]![a]! + lambda;
    const dir = solveDense(F, g);
    const want = Float64Array.from(params, (p, i) => p - 0.5 * dir[i]!);
    const opt = optim.naturalGradient({ lr: 0.5, damping: lambda, cgIters: P });
    const q = params.slice();
    const st = opt.init(q);
    opt.step(q, g, st, { curvature: nn.curvature.oracle(net, q, x, N, loss) });
    expect(maxRelDiff(q, want)).toBeLessThan(1e-4);
    expect(st.scalars.cgIters).toBeLessThanOrEqual(P);
    // Wrong variant: the plain gradient step.
    expect(
      maxRelDiff(
        Float64Array.from(params, (p, i) => p - 0.5 * g[i]!),
        want,
      ),
    ).toBeGreaterThan(1e-2);
  });

  it('names bad options and a missing oracle', () => {
    expect(() => optim.naturalGradient({ cgIters: 0 })).toThrow(/cgIters/);
    expect(() => optim.naturalGradient({ curvature: 'kfac' as 'ggn' })).toThrow(/curvature/);
    const opt = optim.naturalGradient();
    const x = new Float32Array(2).fill(1);
    expect(() => opt.step(x, x.slice(), opt.init(x))).toThrow(/extra\.curvature\.ggnvp/);
  });
});
