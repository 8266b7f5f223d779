// bilevel.problems.lrSchedule: per-step log learning rates η_t of T SGD steps as hyperparameters.
// Reference written here in float64 from the definition (Maclaurin et al. 2015; Franceschi et al.
// 2017): w_t = w_{t−1} − e^{η_t}·∇_w f(w_{t−1}, λ) on the ridge problem of API.md, value F(w_T);
// dF/dη by central differences of that run. A plausible wrong variant (each rate applied one step
// late) is shown to fail; reverse, forward and truncated with K = T agree.
import { describe, expect, it } from 'vitest';
import { bilevel } from '../src/index.js';

const d = 3;
const n = 8;
const m = 6;
const xTrain = Float32Array.from({ length: n * d }, (_, i) => Math.sin(1.3 * i + 0.2) * (1 + (i % d)));
const yTrain = Float32Array.from({ length: n }, (_, i) => Math.cos(0.9 * i) + 0.5);
const xVal = Float32Array.from({ length: m * d }, (_, i) => Math.cos(0.7 * i + 0.1));
const yVal = Float32Array.from({ length: m }, (_, i) => Math.sin(1.1 * i + 0.5));
const lam = [-1, -0.5, 0.2];
const ridge = bilevel.problems.ridge({ xTrain, yTrain, xVal, yVal });

function mseGrad(w: number[], x: Float32Array, y: Float32Array): [number, number[]] {
  const g = new Array<number>(d).fill(0);
  let s = 0;
  for (let r = 0; r < y.length; r++) {
    let res = -(y[r] as number);
    for (let j = 0; j < d; j++) res += (x[r * d + j] as number) * w[j]!;
    s += res * res;
    for (let j = 0; j < d; j++) g[j]! += (2 * res * (x[r * d + j] as number)) / y.length;
  }
  return [s / y.length, g];
}

/** F(w_T) of the float64 run; `late` applies rate t to step t + 1 (the wrong variant). */
function run(eta: number[], late = false): number {
  let w = new Array<number>(d).fill(0);
  for (let t = 0; t < eta.length; t++) {
    const g = mseGrad(w, xTrain, yTrain)[1].map((gj, j) => gj + 2 * Math.exp(lam[j]!) * w[j]!);
    const rate = Math.exp(late ? (eta[Math.max(0, t - 1)] as number) : (eta[t] as number));
    w = w.map((x, j) => x - rate * g[j]!);
  }
  return mseGrad(w, xVal, yVal)[0];
}
const fd = (eta: number[], late = false) =>
  eta.map((_, t) => {
    const a = [...eta];
    const b = [...eta];
    a[t]! += 1e-5;
    b[t]! -= 1e-5;
    return (run(a, late) - run(b, late)) / 2e-5;
  });
const rel = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
};

const T = 15;
const eta = Array.from({ length: T }, (_, t) => Math.log(0.02 + 0.004 * t) + 0.3 * Math.sin(t));
const eta32 = Float32Array.from(eta);
const sched = bilevel.problems.lrSchedule({ problem: ridge, lambda: Float32Array.from(lam) });

describe('bilevel.problems.lrSchedule', () => {
  it('value equals the float64 run', () => {
    expect(Math.abs(sched.value(eta32) - run(eta))).toBeLessThan(1e-5 * run(eta));
  });

  it('reverse, forward and truncated (K = T) hypergradients vs float64 FD; the late-rate variant fails', () => {
    const ref = fd(eta);
    const wrong = fd(eta, true);
    expect(rel(wrong, ref)).toBeGreaterThan(0.05);
    const r = sched.hypergradient(eta32);
    expect(Math.abs(r.value - run(eta))).toBeLessThan(1e-5 * run(eta));
    expect(r.grad.length).toBe(T);
    expect(rel(r.grad, ref)).toBeLessThan(1e-4);
    expect(rel(r.grad, wrong)).toBeGreaterThan(0.05);
    const f = sched.hypergradient(eta32, { method: 'forward' });
    expect(rel(f.grad, ref)).toBeLessThan(1e-4);
    const k = sched.hypergradient(eta32, { method: 'truncated', truncate: T });
    expect(Array.from(k.grad)).toEqual(Array.from(r.grad));
    // Truncated to the last 3 steps: exact on those steps' rates, zero before.
    const k3 = sched.hypergradient(eta32, { method: 'truncated', truncate: 3 });
    expect(Array.from(k3.grad.subarray(0, T - 3)).every((x) => x === 0)).toBe(true);
    expect(rel(k3.grad.subarray(T - 3), ref.slice(T - 3))).toBeLessThan(1e-4);
  });

  it('on the MLP problem too (a non-quadratic inner objective)', () => {
    const x = Float32Array.from({ length: 10 }, (_, i) => Math.sin(i));
    const y = Float32Array.from({ length: 10 }, (_, i) => Math.cos(2 * i));
    const p = bilevel.problems.mlpRegularization({ xTrain: x, yTrain: y, xVal: y, yVal: x, seed: 1 });
    const s = bilevel.problems.lrSchedule({ problem: p });
    const e = Float32Array.from({ length: 6 }, (_, t) => Math.log(0.3) + 0.1 * t);
    const r = s.hypergradient(e);
    const f = s.hypergradient(e, { method: 'forward' });
    expect(rel(f.grad, r.grad)).toBeLessThan(1e-5);
    // Central differences of the float32 run at a wide step (float32 rounding bounds the accuracy).
    const num = Array.from(e, (_, t) => {
      const a = e.slice();
      const b = e.slice();
      a[t] = (a[t] as number) + 1e-2;
      b[t] = (b[t] as number) - 1e-2;
      return (s.value(a) - s.value(b)) / 2e-2;
    });
    expect(rel(r.grad, num)).toBeLessThan(1e-2);
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => sched.hypergradient(new Float32Array(0))).toThrow(/logLrs/);
    expect(() => sched.hypergradient(Float32Array.from([0, Number.NaN]))).toThrow(/logLrs\[1\]/);
    expect(() => sched.hypergradient(eta32, { method: 'implicit' as 'reverse' })).toThrow(/method/);
    expect(() => sched.hypergradient(eta32, { method: 'truncated', truncate: T + 1 })).toThrow(/truncate/);
    expect(() => bilevel.problems.lrSchedule({ problem: ridge, lambda: new Float32Array(2) })).toThrow(/lambda/);
    expect(() => sched.value(Float32Array.from({ length: 40 }, () => 3))).not.toThrow(); // value reports, no check
    expect(() => sched.hypergradient(Float32Array.from({ length: 40 }, () => 3))).toThrow(/diverged/);
  });
});
