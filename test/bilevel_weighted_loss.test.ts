// bilevel.problems.weightedLoss (data hyper-cleaning) on its default linear softmax model: every
// product against float64 finite differences of a reference written here (weighted softmax
// cross-entropy + L2 over nn.mlp's layout dense0.w [d, k] row-major, then dense0.b [k]), and the
// reverse hypergradient of 15 SGD steps against float64 FD of the unrolled run.
import { describe, expect, it } from 'vitest';
import { bilevel } from '../src/index.js';

const n = 6;
const d = 3;
const k = 3;
const m = 4;
const l2 = 0.01;
const xTrain = Float32Array.from({ length: n * d }, (_, i) => Math.sin(1.3 * i + 0.2));
const yTrain = Int32Array.from({ length: n }, (_, i) => (i * 2) % k);
const xVal = Float32Array.from({ length: m * d }, (_, i) => Math.cos(0.7 * i + 0.1));
const yVal = Int32Array.from({ length: m }, (_, i) => i % k);
const W = d * k + k;
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** Mean over rows of weight_r·CE_r for the linear model (float64). */
function ce(w: ArrayLike<number>, x: Float32Array, y: Int32Array, weight: (r: number) => number): number {
  let s = 0;
  for (let r = 0; r < y.length; r++) {
    const z = Array.from({ length: k }, (_, c) => {
      let t = w[d * k + c] as number;
      for (let a = 0; a < d; a++) t += (x[r * d + a] as number) * (w[a * k + c] as number);
      return t;
    });
    const mx = Math.max(...z);
    const lse = mx + Math.log(z.reduce((acc, v) => acc + Math.exp(v - mx), 0));
    s += weight(r) * (lse - (z[y[r] as number] as number));
  }
  return s / y.length;
}
const f = (w: ArrayLike<number>, lam: ArrayLike<number>) =>
  ce(w, xTrain, yTrain, (r) => sig(lam[r] as number)) + 0.5 * l2 * Array.from(w).reduce((a, v) => a + v * v, 0);
const F = (w: ArrayLike<number>) => ce(w, xVal, yVal, () => 1);

const h = 1e-5;
function grad(fun: (v: number[]) => number, at: number[], eps = h): number[] {
  return at.map((_, i) => {
    const a = [...at];
    const b = [...at];
    a[i]! += eps;
    b[i]! -= eps;
    return (fun(a) - fun(b)) / (2 * eps);
  });
}
const along = (at: number[], v: ArrayLike<number>, t: number) => at.map((a, i) => a + t * (v[i] as number));
function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  expect(Math.sqrt(num / den)).toBeLessThan(tol);
}

const p = bilevel.problems.weightedLoss({ xTrain, yTrain, xVal, yVal, classes: k, l2 });
const w = Array.from({ length: W }, (_, i) => 0.3 * Math.sin(2.1 * i + 1));
const lam = Array.from({ length: n }, (_, i) => 0.5 * Math.cos(i));
const w32 = Float32Array.from(w);
const l32 = Float32Array.from(lam);
const v = Float32Array.from({ length: W }, (_, i) => Math.cos(0.9 * i));
const u = Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3));

describe('bilevel.problems.weightedLoss products vs float64 finite differences', () => {
  it('values and gradients', () => {
    const g = new Float32Array(W);
    expect(p.inner(w32, l32, g)).toBeCloseTo(f(w, lam), 5);
    close(
      g,
      grad((x) => f(x, lam), w),
      1e-5,
    );
    const gl = new Float32Array(n);
    p.innerGradLambda(w32, l32, gl);
    close(
      gl,
      grad((x) => f(w, x), lam),
      1e-5,
    );
    const gF = new Float32Array(W);
    expect(p.outer(w32, l32, gF)).toBeCloseTo(F(w), 5);
    close(gF, grad(F, w), 1e-5);
  });

  it('Hessian-vector and mixed products', () => {
    const e = 1e-3;
    const dirGrad = (at: number[], lamAt: number[]) =>
      (f(along(at, v, e), lamAt) - f(along(at, v, -e), lamAt)) / (2 * e);
    const hv = new Float32Array(W);
    p.innerHvp(w32, l32, v, hv);
    // ∇_w of the directional derivative along v is H·v.
    close(
      hv,
      grad((x) => dirGrad(x, lam), w, 1e-3),
      1e-5,
    );
    const mv = new Float32Array(n);
    p.innerMixedVjp(w32, l32, v, mv);
    close(
      mv,
      grad((x) => dirGrad(w, x), lam, 1e-3),
      1e-5,
    );
    const mj = new Float32Array(W);
    p.innerMixedJvp(w32, l32, u, mj);
    close(
      mj,
      grad((x) => (f(x, along(lam, u, e)) - f(x, along(lam, u, -e))) / (2 * e), w, 1e-3),
      1e-5,
    );
    const ohv = new Float32Array(W);
    p.outerHvp?.(w32, l32, v, ohv);
    close(
      ohv,
      grad((x) => (F(along(x, v, e)) - F(along(x, v, -e))) / (2 * e), w, 1e-3),
      1e-5,
    );
    // Wrong variant: the unweighted Hessian (σ ≡ 1) is caught.
    const unweighted = grad(
      (x) => {
        const g0 = (s: number) => ce(along(x, v, s), xTrain, yTrain, () => 1);
        return (g0(e) - g0(-e)) / (2 * e);
      },
      w,
      1e-3,
    );
    let diff = 0;
    for (let i = 0; i < W; i++)
      diff = Math.max(diff, Math.abs((hv[i] as number) - (unweighted[i] as number) - l2 * (v[i] as number)));
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('reverse hypergradient through 15 SGD steps vs float64 FD of the unrolled run', () => {
    const T = 15;
    const lr = 0.5;
    const run = (lamAt: number[]): number => {
      let x = new Array<number>(W).fill(0);
      for (let t = 0; t < T; t++) {
        const g = grad((y) => f(y, lamAt), x, 1e-6);
        x = x.map((xi, i) => xi - lr * (g[i] as number));
      }
      return F(x);
    };
    const ref = grad(run, lam, 1e-4);
    const r = bilevel.hypergradient(p, l32, { method: 'reverse', steps: T, innerLr: lr });
    close(r.grad, ref, 1e-4);
    const fw = bilevel.hypergradient(p, l32, { method: 'forward', steps: T, innerLr: lr });
    close(fw.grad, r.grad, 1e-5);
  });

  it('refuses labels out of range and mismatched rows', () => {
    expect(() =>
      bilevel.problems.weightedLoss({ xTrain, yTrain: Int32Array.of(0, 1, 2, 3, 0, 1), xVal, yVal, classes: k }),
    ).toThrow(/yTrain\[3\]/);
    expect(() => bilevel.problems.weightedLoss({ xTrain, yTrain, xVal: xVal.subarray(1), yVal, classes: k })).toThrow(
      /xVal/,
    );
  });
});
