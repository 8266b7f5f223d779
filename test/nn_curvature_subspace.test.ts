// nn.curvature: the oracle's products are the model's exact HVP and GGN-vector products; the
// Krylov basis is orthonormal and projects A to its tridiagonal; Gur-Ari et al.'s gradient fraction
// ‖P_k g‖²/‖g‖² and subspace overlap ‖V₁ᵀV₂‖_F²/k against hand-computed values; analyze() against
// an explicit Hessian (columns H·e_i, eigendecomposed by Jacobi in float64).
import { describe, expect, it } from 'vitest';
import { nn } from '../src/index.js';
import { symmetricEigen } from '../src/util/eigen.js';
import { maxRelDiff } from './helpers/backends.js';

const { oracle, krylov, gradientFraction, subspaceOverlap, analyze } = nn.curvature;

function tinyProblem() {
  const net = nn.mlp({ sizes: [3, 4, 2], activation: 'tanh' });
  const params = net.init(3);
  const N = 6;
  const x = Float32Array.from({ length: N * 3 }, (_, i) => Math.sin(0.9 * i + 0.1));
  const loss = nn.loss.crossEntropy(Int32Array.from([0, 1, 1, 0, 1, 0]));
  return { net, params, x, batch: N, loss };
}

describe('nn.curvature', () => {
  it('oracle products equal net.hvp and nn.ggnvp and follow params updated in place', () => {
    const { net, params, x, batch, loss } = tinyProblem();
    const o = oracle(net, params, x, batch, loss);
    const v = Float32Array.from({ length: net.size }, (_, i) => Math.cos(i));
    const out = new Float32Array(net.size);
    o.hvp(v, out);
    expect(Array.from(out)).toEqual(Array.from(net.hvp(params, x, batch, loss, v)));
    o.ggnvp(v, out);
    expect(Array.from(out)).toEqual(Array.from(nn.ggnvp(net, params, x, batch, loss, v)));
    params[0] = params[0]! + 0.5;
    o.hvp(v, out);
    expect(Array.from(out)).toEqual(Array.from(net.hvp(params, x, batch, loss, v)));
    expect(() => oracle({} as never, params, x, batch, loss)).toThrow(/net/);
    expect(() => oracle(net, new Float32Array(2), x, batch, loss)).toThrow(/params/);
  });

  it('krylov: an orthonormal basis with QᵀAQ tridiagonal; rank n recovers the spectrum; stops when invariant', () => {
    const n = 7;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = Math.sin(i * 3 + j * 5 + 1);
    const mv = (v: Float32Array, out: Float32Array) => {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * v[j]!;
        out[i] = s;
      }
    };
    const start = Float32Array.from({ length: n }, (_, i) => 1 + i);
    const K = krylov(mv, start, n);
    expect(K.basis.length).toBe(n);
    const m = n;
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        const qa = K.basis[a]!;
        const qb = K.basis[b]!;
        let dot = 0;
        let qAq = 0;
        for (let i = 0; i < n; i++) {
          dot += qa[i]! * qb[i]!;
          let Aq = 0;
          for (let j = 0; j < n; j++) Aq += A[i * n + j]! * qb[j]!;
          qAq += qa[i]! * Aq;
        }
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-12);
        const want = a === b ? K.alpha[a]! : Math.abs(a - b) === 1 ? K.beta[Math.min(a, b)]! : 0;
        expect(Math.abs(qAq - want)).toBeLessThan(1e-5);
      }
    const T = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      T[i * m + i] = K.alpha[i]!;
      if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = K.beta[i]!;
    }
    const [ta, tv, aa, av] = [
      new Float64Array(m),
      new Float64Array(m * m),
      new Float64Array(n),
      new Float64Array(n * n),
    ];
    symmetricEigen(T, m, ta, tv);
    symmetricEigen(A, n, aa, av);
    expect(maxRelDiff(ta.sort(), aa.sort())).toBeLessThan(1e-5);
    // Start at an eigenvector (of a diagonal A): the Krylov space is one-dimensional.
    const D = (v: Float32Array, out: Float32Array) => {
      for (let i = 0; i < 4; i++) out[i] = (i + 1) * v[i]!;
    };
    expect(krylov(D, Float32Array.from([0, 2, 0, 0]), 4).basis.length).toBe(1);
    expect(() => krylov(D, new Float32Array(4), 2)).toThrow(/start/);
    expect(() => krylov(D, new Float32Array(4).fill(1), 5)).toThrow(/steps/);
  });

  it('gradientFraction and subspaceOverlap match hand-computed values', () => {
    const e = (i: number, n = 3) => {
      const v = new Float32Array(n);
      v[i] = 1;
      return v;
    };
    expect(gradientFraction([e(0), e(1)], Float32Array.from([3, 4, 12]))).toBeCloseTo(25 / 169, 12);
    expect(gradientFraction([e(0)], new Float32Array(3))).toBe(0);
    const s = Math.SQRT1_2;
    expect(subspaceOverlap([e(0), e(1)], [e(0), Float32Array.from([0, s, s])])).toBeCloseTo(0.75, 6);
    expect(subspaceOverlap([e(0), e(1)], [e(1), e(0)])).toBeCloseTo(1, 12);
    expect(subspaceOverlap([e(0)], [e(2)])).toBe(0);
    expect(() => subspaceOverlap([e(0)], [e(0), e(1)])).toThrow(RangeError);
    expect(() => gradientFraction([e(0, 2)], Float32Array.from([1, 2, 3]))).toThrow(/vectors\[0\]/);
  });

  it('analyze: top-k eigenpairs and the gradient fraction agree with the explicit Hessian', () => {
    const src = tinyProblem();
    const { net, params, x, batch, loss } = src;
    const n = net.size;
    const H = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const col = net.hvp(
        params,
        x,
        batch,
        loss,
        Float32Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
      );
      for (let i = 0; i < n; i++) H[i * n + j] = col[i]!;
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) H[i * n + j] = H[j * n + i] = (H[i * n + j]! + H[j * n + i]!) / 2;
    const vals = new Float64Array(n);
    const vecs = new Float64Array(n * n);
    symmetricEigen(H, n, vals, vecs);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => vals[b]! - vals[a]!);
    const k = 2;
    const r = analyze(src, { k, iterations: n });
    const grad = new Float32Array(n);
    net.gradInto(params, x, batch, loss, grad);
    let top = 0;
    for (let t = 0; t < k; t++) {
      const c = order[t]!;
      expect(Math.abs(r.values[t]! - vals[c]!)).toBeLessThan(1e-4 * Math.abs(vals[order[0]!]!));
      let d = 0;
      for (let i = 0; i < n; i++) d += vecs[i * n + c]! * grad[i]!;
      top += d * d;
    }
    let gg = 0;
    for (let i = 0; i < n; i++) gg += grad[i]! ** 2;
    expect(Math.abs(r.gradientFraction - top / gg)).toBeLessThan(1e-4);
  });
});
