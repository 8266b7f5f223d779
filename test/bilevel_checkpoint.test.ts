// Checkpointed reverse mode (bilevel.hypergradient { checkpoint: c }): keeping the optimizer state
// at every c-th inner step and recomputing each segment backwards (one-level checkpointing,
// Griewank & Walther, "Algorithm 799: revolve", with the uniform schedule) must reproduce the
// stored-trajectory reverse mode bit for bit, since the recomputed steps are the same float32
// operations in the same order. The reference is the plain reverse mode, itself checked against
// float64 finite differences in test/bilevel_hypergradient.test.ts.
import { describe, expect, it } from 'vitest';
import { innerDirection } from '../src/bilevel/direction.js';
import {
  type Adjoint,
  adjointStep,
  beginRecord,
  completeRecord,
  type InnerConfig,
  initState,
  type StepRecord,
  step,
} from '../src/bilevel/unroll.js';
import { bilevel } from '../src/index.js';

function ridge(n: number, m: number, d: number, seed: number) {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const make = (rows: number) => {
    const x = Float32Array.from({ length: rows * d }, (_, i) => 2 * u() * (1 + 0.3 * (i % d)));
    const y = Float32Array.from({ length: rows }, (_, r) => x[r * d]! - 0.5 * x[r * d + 1]! + 0.3 * u());
    return { x, y };
  };
  const tr = make(n);
  const va = make(m);
  return bilevel.problems.ridge({ xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y });
}

const problem = ridge(30, 20, 5, 7);
const lambda = Float32Array.from([-1, 0.5, -2, 0, -0.5]);
const LR = { sgd: 0.03, momentum: 0.01, adam: 0.05 } as const;

describe('bilevel.hypergradient with checkpoint', () => {
  for (const opt of ['sgd', 'momentum', 'adam'] as const) {
    it(`reverse through ${opt} equals the stored-trajectory reverse bit for bit, for every segment length`, () => {
      const T = 23;
      const base = { method: 'reverse' as const, steps: T, innerLr: LR[opt], innerOptimizer: opt };
      const full = bilevel.hypergradient(problem, lambda, base);
      for (const c of [1, 2, 4, 5, 22, 23, 100]) {
        const ck = bilevel.hypergradient(problem, lambda, { ...base, checkpoint: c });
        expect(Array.from(ck.grad)).toEqual(Array.from(full.grad));
        expect(ck.value).toBe(full.value);
        expect(Array.from(ck.w)).toEqual(Array.from(full.w));
      }
    });
  }

  it('truncated with checkpoints equals truncated', () => {
    for (const opt of ['sgd', 'adam'] as const) {
      const base = { method: 'truncated' as const, steps: 40, truncate: 13, innerLr: LR[opt], innerOptimizer: opt };
      const plain = bilevel.hypergradient(problem, lambda, base);
      for (const c of [1, 3, 4, 13]) {
        const ck = bilevel.hypergradient(problem, lambda, { ...base, checkpoint: c });
        expect(Array.from(ck.grad)).toEqual(Array.from(plain.grad));
      }
    }
  });

  it('stores O(T/c + c) states and pays one extra forward pass of gradients', () => {
    const T = 100;
    const full = bilevel.hypergradient(problem, lambda, { method: 'reverse', steps: T, innerLr: 0.03 });
    const ck = bilevel.hypergradient(problem, lambda, { method: 'reverse', steps: T, innerLr: 0.03, checkpoint: 10 });
    expect(full.stats.storedFloats).toBe(T * 5);
    expect(ck.stats.storedFloats).toBe((10 + 10) * 5);
    expect(full.stats.grads).toBe(T);
    expect(ck.stats.grads).toBe(2 * T);
    expect(ck.stats.hvps).toBe(full.stats.hvps);
  });

  it('a plausible wrong variant (checkpointing w only, restarting the moments) is caught', () => {
    // Restores only w at each checkpoint (momentum/Adam moments zeroed, Adam's step count reset):
    // the adjoint then runs through different dynamics and the gradient moves.
    const T = 20;
    const c = 5;
    for (const kind of ['momentum', 'adam'] as const) {
      const cfg: InnerConfig = { kind, lr: LR[kind], momentum: 0.9, b1: 0.9, b2: 0.999, eps: 1e-8 };
      const dir = innerDirection(problem, lambda);
      const s = initState(cfg, new Float32Array(5));
      const g = new Float32Array(5);
      const ws: Float32Array[] = [];
      for (let t = 1; t <= T; t++) {
        if ((t - 1) % c === 0) ws.push(s.w.slice());
        step(cfg, dir, s, t, g);
      }
      const gradW = new Float32Array(5);
      const lamBar = new Float64Array(5);
      const gl = new Float32Array(5);
      problem.outer(s.w, lambda, gradW, gl);
      lamBar.set(gl);
      const adj: Adjoint = { w: gradW, m: new Float32Array(s.m.length), v: new Float32Array(s.v.length) };
      const scratch = { gBar: new Float32Array(5), hv: new Float32Array(5), lam: new Float32Array(5) };
      for (let k = ws.length - 1; k >= 0; k--) {
        const r = initState(cfg, ws[k] as Float32Array);
        const recs: StepRecord[] = [];
        for (let t = 1; t <= c; t++) {
          const rec = beginRecord(r);
          step(cfg, dir, r, t, g);
          completeRecord(cfg, rec, r, g);
          recs.push(rec);
        }
        for (let t = c; t >= 1; t--) adjointStep(cfg, dir, recs[t - 1] as StepRecord, t, adj, lamBar, scratch);
      }
      const right = bilevel.hypergradient(problem, lambda, {
        method: 'reverse',
        steps: T,
        innerLr: LR[kind],
        innerOptimizer: kind,
        checkpoint: c,
      });
      let diff = 0;
      let norm = 0;
      for (let j = 0; j < 5; j++) {
        diff = Math.max(diff, Math.abs((lamBar[j] as number) - (right.grad[j] as number)));
        norm = Math.max(norm, Math.abs(right.grad[j] as number));
      }
      expect(diff / norm).toBeGreaterThan(1e-3);
    }
  });

  it('refuses a bad checkpoint, naming it', () => {
    expect(() => bilevel.hypergradient(problem, lambda, { method: 'reverse', checkpoint: 0 })).toThrow(/checkpoint/);
    expect(() => bilevel.hypergradient(problem, lambda, { method: 'reverse', checkpoint: 2.5 })).toThrow(RangeError);
    expect(() => bilevel.hypergradient(problem, lambda, { method: 'forward', checkpoint: 4 })).toThrow(
      /checkpoint: only used/,
    );
  });
});

describe('bilevel.hypergradient overflow', () => {
  it('refuses to return a non-finite hypergradient, naming the cause', () => {
    // A hand-written problem whose mixed product is ~3e38: summed over the steps the hypergradient
    // passes float32's range (as reverse through a long converged Adam run does: ∂w/∂v ≈ lr/eps²).
    const huge: bilevel.BilevelProblem = {
      name: 'huge-mixed',
      wSize: 1,
      lambdaSize: 1,
      inner: (w, l, g) => {
        if (g) g[0] = w[0]! - l[0]!;
        return 0.5 * (w[0]! - l[0]!) ** 2;
      },
      innerGradLambda: (w, l, out) => {
        out[0] = l[0]! - w[0]!;
      },
      innerHvp: (_w, _l, v, out) => {
        out[0] = v[0]!;
      },
      innerMixedVjp: (_w, _l, v, out) => {
        out[0] = -3e38 * v[0]!;
      },
      innerMixedJvp: (_w, _l, u, out) => {
        out[0] = -3e38 * u[0]!;
      },
      outer: (w, _l, gw, gl) => {
        if (gw) gw[0] = w[0]! - 10;
        gl?.fill(0);
        return 0.5 * (w[0]! - 10) ** 2;
      },
      curvatureBound: () => 1,
    };
    const l = Float32Array.from([1]);
    expect(() => bilevel.hypergradient(huge, l, { method: 'reverse', steps: 200, innerLr: 0.01 })).toThrow(
      /non-finite entries/,
    );
  });
});
