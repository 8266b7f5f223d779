// HVP structure (symmetry, linearity, the exact linear-model Hessian) and Lanczos eigenpairs.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import * as nn from '../src/nn/index.js';
import { jacobiEigen } from '../src/nn/lanczos.js';
import * as random from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

describe.each(backends)('nn HVP structure (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');

  it('is symmetric: uᵀHv = vᵀHu (tanh, gelu, softplus; MSE and cross-entropy)', () => {
    use();
    for (const activation of ['tanh', 'gelu', 'softplus'] as const) {
      const net = nn.mlp({ sizes: [5, 16, 12, 4], activation });
      const p = net.init(3);
      const batch = 9;
      const x = random.normal(random.key(1), batch * 5);
      const losses = [
        nn.loss.mse(random.normal(random.key(2), batch * 4)),
        nn.loss.crossEntropy(Int32Array.from({ length: batch }, (_, i) => i % 4)),
      ];
      for (const loss of losses) {
        const u = random.normal(random.key(4), net.size);
        const v = random.normal(random.key(5), net.size);
        const hu = net.hvp(p, x, batch, loss, u);
        const hv = net.hvp(p, x, batch, loss, v);
        const a = dot(u, hv);
        const b = dot(v, hu);
        expect(Math.abs(a - b)).toBeLessThan(1e-5 * norm(u) * norm(hv));
      }
    }
  });

  it('is linear: H(a u + b v) = a Hu + b Hv', () => {
    use();
    const net = nn.mlp({ sizes: [3, 20, 2], activation: 'sigmoid' });
    const p = net.init(8);
    const batch = 17;
    const x = random.normal(random.key(9), batch * 3);
    const loss = nn.loss.gaussianNll(random.normal(random.key(10), batch), {});
    const u = random.normal(random.key(11), net.size);
    const v = random.normal(random.key(12), net.size);
    const w = Float32Array.from(u, (ui, i) => 2 * ui - 0.5 * (v[i] as number));
    const hu = net.hvp(p, x, batch, loss, u);
    const hv = net.hvp(p, x, batch, loss, v);
    const hw = net.hvp(p, x, batch, loss, w);
    const scale = norm(hw);
    for (let i = 0; i < net.size; i++)
      expect(Math.abs((hw[i] as number) - (2 * (hu[i] as number) - 0.5 * (hv[i] as number)))).toBeLessThan(
        1e-5 * scale,
      );
  });

  it('gives 2XᵀXv/n for MSE on a linear model (bias as a column of ones)', () => {
    use();
    const d = 6;
    const n = 11;
    const net = nn.mlp({ sizes: [d, 1], activation: 'tanh' }); // one layer: identity output
    const p = net.init(0);
    const x = random.normal(random.key(20), n * d);
    const loss = nn.loss.mse(random.normal(random.key(21), n));
    const v = random.normal(random.key(22), net.size);
    const hv = net.hvp(p, x, n, loss, v);
    // Augmented design [X | 1] against v = [w (d) | b].
    const expected = new Float64Array(d + 1);
    for (let r = 0; r < n; r++) {
      let xv = v[d] as number;
      for (let j = 0; j < d; j++) xv += (x[r * d + j] as number) * (v[j] as number);
      for (let j = 0; j < d; j++) expected[j] = (expected[j] as number) + (2 / n) * (x[r * d + j] as number) * xv;
      expected[d] = (expected[d] as number) + (2 / n) * xv;
    }
    for (let i = 0; i <= d; i++)
      expect(Math.abs((hv[i] as number) - (expected[i] as number))).toBeLessThan(2e-6 * Math.max(1, norm(expected)));
  });

  it('returns the gradient alongside when asked, equal to gradInto', () => {
    use();
    const net = nn.mlp({ sizes: [4, 8, 3], activation: 'relu' });
    const p = net.init(2);
    const x = random.normal(random.key(30), 12);
    const loss = nn.loss.crossEntropy(new Int32Array([0, 2, 1]));
    const g1 = new Float32Array(net.size);
    const g2 = new Float32Array(net.size);
    const hv = new Float32Array(net.size);
    const v1 = net.hvpInto(p, x, 3, loss, random.normal(random.key(31), net.size), hv, g1);
    const v2 = net.gradInto(p, x, 3, loss, g2);
    expect(v1).toBeCloseTo(v2, 6);
    for (let i = 0; i < net.size; i++) expect(Math.abs((g1[i] as number) - (g2[i] as number))).toBeLessThan(1e-6);
  });
});

describe('nn.hessianEigs (Lanczos)', () => {
  it('recovers the top of a constructed spectrum with its eigenvectors', () => {
    const dim = 60;
    // H = Q diag(λ) Qᵀ with a random orthogonal Q (from nn's orthogonal init of a square layer).
    const Q = nn
      .mlp({ sizes: [dim, dim], activation: 'identity', init: { scheme: 'orthogonal', outputGain: 1 } })
      .init(5);
    const lambda = Float64Array.from(
      { length: dim },
      (_, i) => (i < 4 ? [12, 9, 6.5, 4][i] : 2 * Math.cos(i)) as number,
    );
    const hvp = (v: Float32Array, out: Float32Array) => {
      const c = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += (Q[i * dim + j] as number) * (v[i] as number);
        c[j] = s * (lambda[j] as number);
      }
      for (let i = 0; i < dim; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (Q[i * dim + j] as number) * (c[j] as number);
        out[i] = s;
      }
    };
    const r = nn.hessianEigs(hvp, { dim, k: 3, tol: 1e-8 });
    expect([...r.values].map((x) => Number(x.toFixed(4)))).toEqual([12, 9, 6.5]);
    for (let k = 0; k < 3; k++) {
      // The eigenvector is ± column k of Q.
      const vk = r.vectors[k] as Float32Array;
      let c = 0;
      for (let i = 0; i < dim; i++) c += (vk[i] as number) * (Q[i * dim + k] as number);
      expect(Math.abs(Math.abs(c) - 1)).toBeLessThan(1e-4);
    }
    const mag = nn.hessianEigs(
      (v, out) => {
        hvp(v, out);
        for (let i = 0; i < dim; i++) out[i] = -(out[i] as number);
      },
      { dim, k: 2, which: 'magnitude', tol: 1e-8 },
    );
    expect([...mag.values].map((x) => Number(x.toFixed(4)))).toEqual([-12, -9]);
  });

  it('matches the explicit Hessian of MSE on a linear model', () => {
    const d = 8;
    const n = 40;
    const net = nn.mlp({ sizes: [d, 1], activation: 'identity' });
    const p = net.init(0);
    const x = random.normal(random.key(40), n * d);
    const loss = nn.loss.mse(random.normal(random.key(41), n));
    const m = d + 1;
    const H = new Float64Array(m * m);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          const xi = i < d ? (x[r * d + i] as number) : 1;
          const xj = j < d ? (x[r * d + j] as number) : 1;
          H[i * m + j] = (H[i * m + j] as number) + (2 / n) * xi * xj;
        }
    const exact = [...jacobiEigen(H, m).values].sort((a, b) => b - a);
    const r = nn.hessianEigs({ net, params: p, x, batch: n, loss }, { k: 2 });
    expect(Math.abs((r.values[0] as number) - (exact[0] as number))).toBeLessThan(1e-4 * (exact[0] as number));
    expect(Math.abs((r.values[1] as number) - (exact[1] as number))).toBeLessThan(1e-4 * (exact[0] as number));
  });
});
