// bilevel.problems.mlpRegularization on a 2-3-3-1 tanh MLP (MSE) against a float64 reference
// written here (nn.mlp's layout: dense{l}.w [in × out] row-major, then dense{l}.b; the problem's
// docs: f = MSE_train + Σ_l e^{λ_l}‖W_l‖², biases unpenalized, F = MSE_val): values, gradients,
// HVPs and both mixed products against central differences of the reference, and the reverse
// hypergradient of 12 unrolled SGD steps against float64 FD of the same unrolled run. A wrong
// variant (penalizing the biases too) is shown to fail the same comparisons.
import { describe, expect, it } from 'vitest';
import { bilevel, nn } from '../src/index.js';

const sizes = [2, 3, 3, 1];
const nTr = 7;
const nVa = 5;
const xTrain = Float32Array.from({ length: nTr * 2 }, (_, i) => Math.sin(1.3 * i + 0.2));
const yTrain = Float32Array.from({ length: nTr }, (_, i) => Math.cos(0.9 * i));
const xVal = Float32Array.from({ length: nVa * 2 }, (_, i) => Math.cos(0.7 * i + 0.1));
const yVal = Float32Array.from({ length: nVa }, (_, i) => Math.sin(1.1 * i + 0.5));
const model = nn.mlp({ sizes, activation: 'tanh' });
const W = model.size;
const L = sizes.length - 1;

/** Float64 forward + backprop of the MSE of the tanh MLP; returns [loss, grad]. */
function mseRef(w: ArrayLike<number>, x: Float32Array, y: Float32Array): [number, number[]] {
  const rows = y.length;
  const g = new Array<number>(w.length).fill(0);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const acts: number[][] = [[x[2 * r] as number, x[2 * r + 1] as number]];
    const offs: number[] = [];
    let off = 0;
    for (let l = 0; l < L; l++) {
      const a = sizes[l] as number;
      const b = sizes[l + 1] as number;
      offs.push(off);
      const prev = acts[l] as number[];
      const z = Array.from({ length: b }, (_, j) => {
        let s = w[off + a * b + j] as number;
        for (let i = 0; i < a; i++) s += (prev[i] as number) * (w[off + i * b + j] as number);
        return l < L - 1 ? Math.tanh(s) : s;
      });
      acts.push(z);
      off += a * b + b;
    }
    const res = (acts[L] as number[])[0]! - (y[r] as number);
    loss += res * res;
    let delta = [(2 * res) / rows];
    for (let l = L - 1; l >= 0; l--) {
      const a = sizes[l] as number;
      const b = sizes[l + 1] as number;
      const o = offs[l] as number;
      const prev = acts[l] as number[];
      for (let j = 0; j < b; j++) {
        g[o + a * b + j]! += delta[j] as number;
        for (let i = 0; i < a; i++) g[o + i * b + j]! += (prev[i] as number) * (delta[j] as number);
      }
      if (l > 0) {
        delta = Array.from({ length: a }, (_, i) => {
          let s = 0;
          for (let j = 0; j < b; j++) s += (w[o + i * b + j] as number) * (delta[j] as number);
          return s * (1 - (prev[i] as number) ** 2);
        });
      }
    }
  }
  return [loss / rows, g];
}

/** Indices of layer l's weights (or weights and biases when `withBias`, the wrong variant). */
function penalized(withBias: boolean): number[][] {
  const out: number[][] = [];
  let off = 0;
  for (let l = 0; l < L; l++) {
    const a = sizes[l] as number;
    const b = sizes[l + 1] as number;
    out.push(Array.from({ length: withBias ? a * b + b : a * b }, (_, i) => off + i));
    off += a * b + b;
  }
  return out;
}

function fRef(w: ArrayLike<number>, lam: ArrayLike<number>, withBias = false): [number, number[]] {
  const [v, g] = mseRef(w, xTrain, yTrain);
  let val = v;
  penalized(withBias).forEach((idx, l) => {
    const c = Math.exp(lam[l] as number);
    for (const i of idx) {
      val += c * (w[i] as number) ** 2;
      g[i]! += 2 * c * (w[i] as number);
    }
  });
  return [val, g];
}

const h = 1e-5;
const rel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
};
const plus = (a: number[], v: ArrayLike<number>, t: number) => a.map((x, i) => x + t * (v[i] as number));

const p = bilevel.problems.mlpRegularization({ xTrain, yTrain, xVal, yVal, model, seed: 3 });
const w = Array.from(model.init(3), (x, i) => x + 0.2 * Math.sin(1.7 * i)); // nonzero biases
const lam = [-1.2, 0.3, -0.4];
const w32 = Float32Array.from(w);
const l32 = Float32Array.from(lam);
const v = Float32Array.from({ length: W }, (_, i) => Math.cos(0.9 * i));
const u = Float32Array.from([0.7, -0.4, 1.1]);

describe('bilevel.problems.mlpRegularization vs a float64 reference', () => {
  it('shapes: one hyperparameter per weight matrix', () => {
    expect(p.lambdaSize).toBe(3);
    expect(p.wSize).toBe(W);
  });

  it('values and gradients', () => {
    const g = new Float32Array(W);
    const [fv, fg] = fRef(w, lam);
    expect(Math.abs(p.inner(w32, l32, g) - fv)).toBeLessThan(1e-6 * Math.abs(fv));
    expect(rel(g, fg)).toBeLessThan(1e-5);
    expect(rel(g, fRef(w, lam, true)[1])).toBeGreaterThan(1e-3); // the bias-penalizing variant is told apart
    const gl = new Float32Array(3);
    p.innerGradLambda(w32, l32, gl);
    const fdL = lam.map((_, j) => {
      const a = [...lam];
      const b = [...lam];
      a[j]! += h;
      b[j]! -= h;
      return (fRef(w, a)[0] - fRef(w, b)[0]) / (2 * h);
    });
    expect(rel(gl, fdL)).toBeLessThan(1e-6);
    const gv = new Float32Array(W);
    const [Fv, Fg] = mseRef(w, xVal, yVal);
    expect(Math.abs(p.outer(w32, l32, gv) - Fv)).toBeLessThan(1e-6 * Fv);
    expect(rel(gv, Fg)).toBeLessThan(1e-5);
  });

  it('HVP and mixed products vs central differences of the float64 gradient', () => {
    const hv = new Float32Array(W);
    p.innerHvp(w32, l32, v, hv);
    const fdH = fRef(plus(w, v, h), lam)[1].map((a, i) => (a - (fRef(plus(w, v, -h), lam)[1][i] as number)) / (2 * h));
    expect(rel(hv, fdH)).toBeLessThan(1e-5);
    // (∂²f/∂λ∂w)·v: d/dt of ∇_λ f(w + t·v) at t = 0, with ∇_λ f_l = e^{λ_l}‖W_l‖².
    const gl = (ww: number[]) =>
      penalized(false).map((idx, l) => Math.exp(lam[l]!) * idx.reduce((s, i) => s + ww[i]! ** 2, 0));
    const mv = new Float32Array(3);
    p.innerMixedVjp(w32, l32, v, mv);
    const fdM = gl(plus(w, v, h)).map((a, l) => (a - gl(plus(w, v, -h))[l]!) / (2 * h));
    expect(rel(mv, fdM)).toBeLessThan(1e-6);
    // (∂²f/∂w∂λ)·u: d/dt of ∇_w f(w, λ + t·u).
    const mj = new Float32Array(W);
    p.innerMixedJvp(w32, l32, u, mj);
    const fdJ = fRef(w, plus(lam, u, h))[1].map((a, i) => (a - fRef(w, plus(lam, u, -h))[1][i]!) / (2 * h));
    expect(rel(mj, fdJ)).toBeLessThan(1e-5);
  });

  it('reverse and forward hypergradients of 12 SGD steps vs float64 FD of the unrolled run', () => {
    const T = 12;
    const lr = 0.3;
    const run = (lm: number[], withBias = false): number => {
      let ww = [...w];
      for (let t = 0; t < T; t++) {
        const g = fRef(ww, lm, withBias)[1];
        ww = ww.map((x, i) => x - lr * g[i]!);
      }
      return mseRef(ww, xVal, yVal)[0];
    };
    const fd = (withBias: boolean) =>
      lam.map((_, j) => {
        const a = [...lam];
        const b = [...lam];
        a[j]! += 1e-4;
        b[j]! -= 1e-4;
        return (run(a, withBias) - run(b, withBias)) / 2e-4;
      });
    const ref = fd(false);
    for (const method of ['reverse', 'forward', 'truncated'] as const) {
      const r = bilevel.hypergradient(p, l32, {
        method,
        steps: T,
        innerLr: lr,
        w0: w32,
        ...(method === 'truncated' ? { truncate: T } : {}),
      });
      expect(Math.abs(r.value - run(lam))).toBeLessThan(1e-5);
      expect(rel(r.grad, ref)).toBeLessThan(2e-4);
      expect(rel(r.grad, fd(true))).toBeGreaterThan(1e-2); // wrong variant is told apart
    }
  });

  it('cross-entropy labels: value and gradient of the data term', () => {
    const yc = Int32Array.from({ length: nTr }, (_, i) => i % 3);
    const yv = Int32Array.from({ length: nVa }, (_, i) => (i + 1) % 3);
    const m3 = nn.mlp({ sizes: [2, 4, 3], activation: 'tanh' });
    const q = bilevel.problems.mlpRegularization({ xTrain, yTrain: yc, xVal, yVal: yv, model: m3 });
    const w3 = m3.init(1);
    const g = new Float32Array(m3.size);
    const val = q.inner(w3, new Float32Array(2).fill(-50), g); // penalty ≈ 0: the CE alone
    const ce = nn.loss.crossEntropy(yc, 3);
    const y = m3.forward(w3, xTrain, nTr);
    expect(Math.abs(val - ce.value(y, nTr))).toBeLessThan(1e-6);
  });

  it('rejects mismatched shapes and kinds, naming the argument', () => {
    expect(() => bilevel.problems.mlpRegularization({ xTrain, yTrain, xVal: xVal.subarray(1), yVal, model })).toThrow(
      /xVal/,
    );
    expect(() =>
      bilevel.problems.mlpRegularization({ xTrain, yTrain, xVal, yVal: Int32Array.from([0, 1, 0, 1, 0]), model }),
    ).toThrow(/yVal/);
    const bad = xTrain.slice();
    bad[3] = Number.NaN;
    expect(() => bilevel.problems.mlpRegularization({ xTrain: bad, yTrain, xVal, yVal, model })).toThrow(/xTrain\[3\]/);
    expect(() => bilevel.hypergradient(p, Float32Array.from([0, Number.NaN, 0]))).toThrow(/lambda\[1\]/);
  });
});
