// nn.ggnvp against an explicit float64 Jᵀ H_ℓ J (J by central differences of the float64 reference
// forward, H_ℓ written from the loss formulas: 2/(N·out)·I for the mean squared error,
// (diag(p) − ppᵀ)/N for softmax cross-entropy), as the curvature reference (§1.1) asks; the
// exact Hessian (net.hvp) where the loss gradient vanishes; and the wrong variants it must not be.
// Observed error against the float64 reference: ~3e-7 relative (float32 rounding); bound 2e-6.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

/** Output Jacobian J [batch·out × size] in float64, by central differences of forward64. */
function jacobian(net: nn.Mlp, p: Float32Array, x: Float32Array, batch: number): Float64Array[] {
  const h = 1e-4;
  const theta = Float64Array.from(p);
  const cols: Float64Array[] = [];
  for (let i = 0; i < net.size; i++) {
    const t = theta[i] as number;
    theta[i] = t + h;
    const up = net.forward64(theta, x, batch);
    theta[i] = t - h;
    const down = net.forward64(theta, x, batch);
    theta[i] = t;
    cols.push(up.map((u, k) => (u - (down[k] as number)) / (2 * h)));
  }
  return cols; // cols[i][k] = ∂y_k/∂θ_i
}

/** Jᵀ H J v in float64 with H given as a product on output vectors. */
function explicitGgn(J: Float64Array[], H: (u: Float64Array) => Float64Array, v: ArrayLike<number>): Float64Array {
  const n = (J[0] as Float64Array).length;
  const u = new Float64Array(n);
  J.forEach((col, i) => {
    for (let k = 0; k < n; k++) u[k] = (u[k] as number) + (col[k] as number) * (v[i] as number);
  });
  const w = H(u);
  return Float64Array.from(J, (col) => col.reduce((s, c, k) => s + c * (w[k] as number), 0));
}

const softmaxHessian = (y: Float64Array, batch: number, k: number) => (u: Float64Array) => {
  const out = new Float64Array(u.length);
  for (let b = 0; b < batch; b++) {
    const row = Array.from(y.subarray(b * k, b * k + k));
    const m = Math.max(...row);
    const e = row.map((z) => Math.exp(z - m));
    const s = e.reduce((a, c) => a + c, 0);
    const p = e.map((z) => z / s);
    const pu = p.reduce((a, pj, j) => a + pj * (u[b * k + j] as number), 0);
    for (let j = 0; j < k; j++) out[b * k + j] = ((p[j] as number) * ((u[b * k + j] as number) - pu)) / batch;
  }
  return out;
};

describe.each(backends)('nn.ggnvp (%s)', (name) => {
  const use = () => backend.use(name as 'native' | 'js');
  const batch = 6;
  const k = 3;
  const net = nn.mlp({ sizes: [4, 7, k], activation: 'tanh' });
  const p = random.normal(random.key(11), net.size).map((z) => 0.8 * z);
  const x = random.normal(random.key(12), batch * 4);
  const J = jacobian(net, p, x, batch);
  const y64 = net.forward64(p, x, batch);
  const v = random.normal(random.key(13), net.size);

  it('cross-entropy: equals the explicit Jᵀ(diag p − ppᵀ)J v (float64 reference); Jᵀ J v and H at another point do not', () => {
    use();
    const loss = nn.loss.crossEntropy(Int32Array.from([0, 2, 1, 1, 0, 2]));
    const got = nn.ggnvp(net, p, x, batch, loss, v);
    const want = explicitGgn(J, softmaxHessian(y64, batch, k), v);
    const scale = maxAbs(want);
    expect(maxDiff(got, want)).toBeLessThan(2e-6 * scale);
    // Wrong variants: the output Hessian left out (Jᵀ J v / N), or taken at other outputs.
    const noH = explicitGgn(J, (u) => u.map((z) => z / batch), v);
    expect(maxDiff(noH, want)).toBeGreaterThan(0.1 * scale);
    const shifted = explicitGgn(
      J,
      softmaxHessian(
        y64.map((z, i) => z + (i % k)),
        batch,
        k,
      ),
      v,
    );
    expect(maxDiff(shifted, want)).toBeGreaterThan(0.05 * scale);
  });

  it('mean squared error: equals 2/(N·out)·JᵀJ v, and the exact Hessian (net.hvp) where the residual is zero', () => {
    use();
    const target = random.normal(random.key(14), batch * k);
    const got = nn.ggnvp(net, p, x, batch, nn.loss.mse(target), v);
    const want = explicitGgn(J, (u) => u.map((z) => (2 * z) / (batch * k)), v);
    expect(maxDiff(got, want)).toBeLessThan(2e-6 * maxAbs(want));
    // With a non-zero residual the Hessian has the extra Σ r_k ∇²y_k term: G ≠ H.
    const h = net.hvp(p, x, batch, nn.loss.mse(target), v);
    expect(maxDiff(h, got)).toBeGreaterThan(0.01 * maxAbs(got));
    // At the target = the outputs that term vanishes and G = H to float32 rounding.
    const fit = net.forward(p, x, batch);
    const g0 = nn.ggnvp(net, p, x, batch, nn.loss.mse(fit), v);
    const h0 = net.hvp(p, x, batch, nn.loss.mse(fit), v);
    expect(maxDiff(g0, h0)).toBeLessThan(1e-6 * maxAbs(h0));
  });

  it('is symmetric positive semi-definite (uᵀGv = vᵀGu, vᵀGv ≥ 0), writes into out, and is net.ggnvp', () => {
    use();
    const loss = nn.loss.crossEntropy(Int32Array.from([1, 1, 0, 2, 2, 0]));
    const u = random.normal(random.key(15), net.size);
    const out = new Float32Array(net.size);
    const gv = nn.ggnvp(net, p, x, batch, loss, v, out);
    expect(gv).toBe(out);
    // The model's method is the same product.
    expect(Array.from(net.ggnvp(p, x, batch, loss, v))).toEqual(Array.from(gv));
    const gu = nn.ggnvp(net, p, x, batch, loss, u);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, c, i) => s + c * (b[i] as number), 0);
    expect(Math.abs(dot(u, gv) - dot(v, gu))).toBeLessThan(1e-5 * Math.abs(dot(u, gv)) + 1e-7);
    expect(dot(v, gv)).toBeGreaterThan(0);
  });

  it('refuses a loss without an output Hessian, a non-model and wrong sizes, naming them', () => {
    use();
    const noHvp = nn.loss.custom({ value: () => 0, grad: () => {} });
    const target = new Float32Array(batch * k);
    expect(() => nn.ggnvp(net, p, x, batch, noHvp, v)).toThrow(TypeError);
    expect(() => nn.ggnvp({} as nn.Mlp, p, x, batch, nn.loss.mse(target), v)).toThrow(/net/);
    expect(() => nn.ggnvp(net, p, x, batch, nn.loss.mse(target), v.subarray(1))).toThrow(/v: expected length/);
    expect(() => nn.ggnvp(net, p, x, batch, nn.loss.mse(target.subarray(1)), v)).toThrow(RangeError);
    expect(() => nn.ggnvp(net, p, x, 0, nn.loss.mse(target), v)).toThrow(/batch/);
  });
});
