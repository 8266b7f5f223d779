// bilevel.hypergradient on the ridge problem of API.md against references written here in float64:
// the closed-form IFT hypergradient (w* and H⁻¹ by Gaussian elimination), and central finite
// differences of the unrolled SGD / heavy-ball / Adam dynamics (PyTorch's update rules), re-run in
// float64. Each comparison also shows a plausible wrong variant failing.
import { describe, expect, it } from 'vitest';
import { bilevel } from '../src/index.js';

type Opt = 'sgd' | 'momentum' | 'adam';

/** Deterministic data: y = x·wTrue + noise, features with different scales (ill-conditioning). */
function data(n: number, m: number, d: number, seed: number) {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const wTrue = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -0.5) * (1 + 0.2 * j));
  const make = (rows: number) => {
    const x = new Float32Array(rows * d);
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let t = 0;
      for (let j = 0; j < d; j++) {
        const v = 2 * u() * (1 + 0.5 * j);
        x[r * d + j] = v;
        t += v * (wTrue[j] as number);
      }
      y[r] = t + 0.8 * u();
    }
    return { x, y };
  };
  const tr = make(n);
  const va = make(m);
  return { xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, d };
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const a = A.map((r, i) => [...r, b[i] as number]);
  for (let c = 0; c < n; c++) {
    for (let i = c + 1; i < n; i++) {
      const f = (a[i]![c] as number) / (a[c]![c] as number);
      for (let k = c; k <= n; k++) a[i]![k]! -= f * (a[c]![k] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let t = a[i]![n] as number;
    for (let k = i + 1; k < n; k++) t -= (a[i]![k] as number) * (x[k] as number);
    x[i] = t / (a[i]![i] as number);
  }
  return x;
}

type Data = ReturnType<typeof data>;

/** ∇_w of mean squared residual over rows, float64. */
function msGrad(x: Float32Array, y: Float32Array, w: number[]): number[] {
  const d = w.length;
  const g = new Array<number>(d).fill(0);
  for (let r = 0; r < y.length; r++) {
    let res = -(y[r] as number);
    for (let j = 0; j < d; j++) res += (x[r * d + j] as number) * (w[j] as number);
    for (let j = 0; j < d; j++) g[j]! += (2 * res * (x[r * d + j] as number)) / y.length;
  }
  return g;
}
function ms(x: Float32Array, y: Float32Array, w: number[]): number {
  const d = w.length;
  let s = 0;
  for (let r = 0; r < y.length; r++) {
    let res = -(y[r] as number);
    for (let j = 0; j < d; j++) res += (x[r * d + j] as number) * (w[j] as number);
    s += res * res;
  }
  return s / y.length;
}

/** Closed form: w* = A⁻¹(2/n)Xᵀy, dF/dλ = −2e^λ ⊙ w* ⊙ A⁻¹∇_wF, A = (2/n)XᵀX + 2diag(e^λ). */
function closedForm(D: Data, lambda: number[]): { grad: number[]; value: number } {
  const { xTrain: x, yTrain: y, d } = D;
  const n = y.length;
  const A = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += (x[r * d + i] as number) * (x[r * d + j] as number);
      return (2 * s) / n + (i === j ? 2 * Math.exp(lambda[i] as number) : 0);
    }),
  );
  const b = Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (x[r * d + i] as number) * (y[r] as number);
    return (2 * s) / n;
  });
  const w = solve(A, b);
  const q = solve(A, msGrad(D.xVal, D.yVal, w));
  return {
    grad: w.map((wj, j) => -2 * Math.exp(lambda[j] as number) * wj * (q[j] as number)),
    value: ms(D.xVal, D.yVal, w),
  };
}

/** F(w_T(λ)) of the unrolled inner optimizer, float64 (PyTorch's SGD/momentum/Adam rules). */
function unrolled(D: Data, lambda: number[], T: number, opt: Opt, lr: number): number {
  const d = D.d;
  const w = new Array<number>(d).fill(0);
  const m = new Array<number>(d).fill(0);
  const v = new Array<number>(d).fill(0);
  for (let t = 1; t <= T; t++) {
    const g = msGrad(D.xTrain, D.yTrain, w).map((gj, j) => gj + 2 * Math.exp(lambda[j] as number) * (w[j] as number));
    for (let j = 0; j < d; j++) {
      const gj = g[j] as number;
      if (opt === 'sgd') w[j]! -= lr * gj;
      else if (opt === 'momentum') {
        m[j] = 0.9 * (m[j] as number) + gj;
        w[j]! -= lr * (m[j] as number);
      } else {
        m[j] = 0.9 * (m[j] as number) + 0.1 * gj;
        v[j] = 0.999 * (v[j] as number) + 0.001 * gj * gj;
        w[j]! -= (lr * ((m[j] as number) / (1 - 0.9 ** t))) / (Math.sqrt((v[j] as number) / (1 - 0.999 ** t)) + 1e-8);
      }
    }
  }
  return ms(D.xVal, D.yVal, w);
}

function fd(f: (l: number[]) => number, lambda: number[], h = 1e-5): number[] {
  return lambda.map((_, j) => {
    const a = [...lambda];
    const b = [...lambda];
    a[j]! += h;
    b[j]! -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
}

const D = data(40, 30, 4, 7);
const problem = bilevel.problems.ridge(D);
const lambdaArr = [-1, -2, 0.5, -0.5];
const lambda = Float32Array.from(lambdaArr);

describe('bilevel.hypergradient on ridge', () => {
  const lrFor = (opt: Opt) => (opt === 'adam' ? 0.05 : opt === 'momentum' ? 0.02 : 0.05);
  for (const opt of ['sgd', 'momentum', 'adam'] as const) {
    it(`reverse and forward through ${opt} match float64 finite differences of the unrolled run`, () => {
      const T = 40;
      const lr = lrFor(opt);
      const ref = fd((l) => unrolled(D, l, T, opt, lr), lambdaArr);
      const rev = bilevel.hypergradient(problem, lambda, {
        method: 'reverse',
        steps: T,
        innerLr: lr,
        innerOptimizer: opt,
      });
      const fwd = bilevel.hypergradient(problem, lambda, {
        method: 'forward',
        steps: T,
        innerLr: lr,
        innerOptimizer: opt,
      });
      expect(relErr(rev.grad, ref)).toBeLessThan(2e-5);
      expect(relErr(fwd.grad, ref)).toBeLessThan(2e-5);
      expect(rev.value).toBeCloseTo(unrolled(D, lambdaArr, T, opt, lr), 5);
      // Wrong variant: the same dynamics one step shorter is far off.
      const short = fd((l) => unrolled(D, l, T - 1, opt, lr), lambdaArr);
      expect(relErr(rev.grad, short)).toBeGreaterThan(1e-3);
    });
  }

  it('truncated with K = T is reverse exactly; K < T is biased, less so as K grows', () => {
    const T = 60;
    const full = bilevel.hypergradient(problem, lambda, { method: 'reverse', steps: T });
    const same = bilevel.hypergradient(problem, lambda, { method: 'truncated', steps: T, truncate: T });
    expect(Array.from(same.grad)).toEqual(Array.from(full.grad));
    const errs = [1, 5, 25].map((K) =>
      relErr(bilevel.hypergradient(problem, lambda, { method: 'truncated', steps: T, truncate: K }).grad, full.grad),
    );
    expect(errs[0]).toBeGreaterThan(errs[1] as number);
    expect(errs[1]).toBeGreaterThan(errs[2] as number);
    expect(errs[0]).toBeGreaterThan(1e-3);
    const s = bilevel.hypergradient(problem, lambda, { method: 'truncated', steps: T, truncate: 5 }).stats;
    expect(s.storedFloats).toBe(5 * 4);
  });

  it('implicit (CG) and a long Neumann series match the closed form; reverse approaches it as T grows', () => {
    const ref = closedForm(D, lambdaArr);
    const imp = bilevel.hypergradient(problem, lambda, { method: 'implicit', steps: 3000 });
    expect(relErr(imp.grad, ref.grad)).toBeLessThan(1e-4);
    expect(imp.value).toBeCloseTo(ref.value, 5);
    const neu = bilevel.hypergradient(problem, lambda, { method: 'neumann', steps: 3000, neumannTerms: 3000 });
    expect(relErr(neu.grad, ref.grad)).toBeLessThan(1e-4);
    const gaps = [5, 15, 60].map((T) =>
      relErr(bilevel.hypergradient(problem, lambda, { method: 'reverse', steps: T }).grad, imp.grad),
    );
    expect(gaps[0]).toBeGreaterThan(gaps[1] as number);
    expect(gaps[1]).toBeGreaterThan(gaps[2] as number);
    expect(gaps[2]).toBeLessThan(1e-3);
    // Wrong variant: dropping the inverse Hessian (q = ∇_wF) is far from the closed form.
    const noInverse = bilevel.hypergradient(problem, lambda, { method: 'neumann', steps: 3000, neumannTerms: 0 });
    expect(relErr(noInverse.grad, ref.grad)).toBeGreaterThan(0.1);
  });

  it('Neumann with 0 terms is α·∇_wF through the mixed product (Lorraine et al.)', () => {
    const alpha = 0.01;
    const h = bilevel.hypergradient(problem, lambda, {
      method: 'neumann',
      steps: 200,
      neumannTerms: 0,
      neumannLr: alpha,
    });
    const gF = new Float32Array(4);
    problem.outer(h.w, lambda, gF);
    const q = gF.map((g) => alpha * g);
    const mixed = new Float32Array(4);
    problem.innerMixedVjp(h.w, lambda, q, mixed);
    for (let j = 0; j < 4; j++) expect(h.grad[j]).toBeCloseTo(-(mixed[j] as number), 6);
  });

  it('default settings converge (inner step from the curvature bound)', () => {
    const h = bilevel.hypergradient(problem, lambda, { method: 'implicit', steps: 1000 });
    expect(relErr(h.grad, closedForm(D, lambdaArr).grad)).toBeLessThan(1e-3);
    const r = bilevel.hypergradient(problem, lambda);
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it('is deterministic', () => {
    const a = bilevel.hypergradient(problem, lambda, { method: 'forward', innerOptimizer: 'adam' });
    const b = bilevel.hypergradient(problem, lambda, { method: 'forward', innerOptimizer: 'adam' });
    expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
  });
});

describe('bilevel input checks', () => {
  it('refuses mismatched shapes and non-finite hyperparameters, naming the argument', () => {
    expect(() => bilevel.hypergradient(problem, new Float32Array(3))).toThrow(/lambda: expected length 4/);
    expect(() => bilevel.hypergradient(problem, Float32Array.from([0, Number.NaN, 0, 0]))).toThrow(RangeError);
    expect(() => bilevel.hypergradient(problem, Float32Array.from([0, Number.NaN, 0, 0]))).toThrow(/lambda\[1\]/);
    expect(() => bilevel.hypergradient(problem, [0, 0, 0, 0] as unknown as Float32Array)).toThrow(TypeError);
    expect(() => bilevel.hypergradient(problem, lambda, { w0: new Float32Array(2) })).toThrow(/w0: expected length 4/);
    expect(() => bilevel.hypergradient(problem, lambda, { innerLr: Number.POSITIVE_INFINITY })).toThrow(/innerLr/);
    expect(() => bilevel.hypergradient(problem, lambda, { method: 'truncated', steps: 5, truncate: 6 })).toThrow(
      /truncate/,
    );
    expect(() => bilevel.hypergradient(problem, lambda, { method: 'bogus' as 'reverse' })).toThrow(/method/);
    expect(() => bilevel.hypergradient(problem, lambda, { stepz: 3 } as object)).toThrow(/unknown option 'stepz'/);
    expect(() => bilevel.hypergradient(problem, lambda, { innerLr: 10 })).toThrow(/diverged/);
    expect(() => bilevel.problems.ridge({ ...D, xVal: new Float32Array(D.xVal.length - 1) })).toThrow(
      /xVal: expected length/,
    );
    expect(() => bilevel.problems.ridge({ ...D, yTrain: new Float32Array(39) })).toThrow(/xTrain/);
    expect(() => bilevel.hypergradient({} as bilevel.BilevelProblem, lambda)).toThrow(/problem.wSize/);
  });
});
