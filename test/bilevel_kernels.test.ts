// The fused bilevel kernels (bilevelRidgeHypergrad, bilevelCleaningHypergrad; `fused: true`):
// on each backend they must equal the problem-object reverse / forward hypergradients — which
// test/bilevel_hypergradient.test.ts and test/bilevel_weighted_loss.test.ts check against float64
// finite differences and the ridge closed form — to float32 rounding; native ≡ js twin to
// rounding; a plausible wrong variant (one inner step fewer) is far off; bad arguments name
// themselves on both backends.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import type { BackendName } from '../src/backend/types.js';
import { bilevel } from '../src/index.js';
import { backends, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
const u = lcg(3);
const d = 6;
const ridgeData = {
  xTrain: Float32Array.from({ length: 40 * d }, (_, i) => 2 * u() * (1 + (i % d) * 0.3)),
  yTrain: Float32Array.from({ length: 40 }, () => u()),
  xVal: Float32Array.from({ length: 25 * d }, (_, i) => 2 * u() * (1 + (i % d) * 0.3)),
  yVal: Float32Array.from({ length: 25 }, () => u()),
};
for (let r = 0; r < 40; r++)
  (ridgeData.yTrain as Float32Array)[r] =
    ridgeData.yTrain[r]! + ridgeData.xTrain[r * d]! - ridgeData.xTrain[r * d + 1]!;
for (let r = 0; r < 25; r++)
  (ridgeData.yVal as Float32Array)[r] = ridgeData.yVal[r]! + ridgeData.xVal[r * d]! - ridgeData.xVal[r * d + 1]!;
const ridge = bilevel.problems.ridge(ridgeData);
const ridgeLambda = Float32Array.from({ length: d }, (_, j) => -1 + 0.3 * j);

const n = 30;
const k = 3;
const cd = 4;
const cleanData = {
  xTrain: Float32Array.from({ length: n * cd }, () => 2 * u()),
  yTrain: Int32Array.from({ length: n }, (_, i) => i % k),
  xVal: Float32Array.from({ length: 20 * cd }, () => 2 * u()),
  yVal: Int32Array.from({ length: 20 }, (_, i) => (i * 2) % k),
  classes: k,
  l2: 0.01,
};
const cleaning = bilevel.problems.weightedLoss(cleanData);
const cleanLambda = Float32Array.from({ length: n }, () => 2 * u());

const relErr = (a: Float32Array, b: Float32Array): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += ((a[i] as number) - (b[i] as number)) ** 2;
    den += (b[i] as number) ** 2;
  }
  return Math.sqrt(num / den);
};

const cases = [
  ['ridge', ridge, ridgeLambda, 0.02],
  ['hyper-cleaning', cleaning, cleanLambda, 0.5],
] as const;

describe.each(backends)('fused bilevel kernels on %s', (name) => {
  for (const [label, problem, lambda, lr] of cases) {
    for (const method of ['reverse', 'forward'] as const) {
      it(`${label} ${method}: equals the problem-object hypergradient`, () => {
        use(name as BackendName);
        const o = { method, steps: 30, innerLr: lr };
        const ref = bilevel.hypergradient(problem, lambda, o);
        const got = bilevel.hypergradient(problem, lambda, { ...o, fused: true });
        expect(relErr(got.grad, ref.grad)).toBeLessThan(2e-5);
        expect(Math.abs(got.value - ref.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(ref.value)));
        expect(maxRelDiff(got.w, ref.w)).toBeLessThan(1e-5);
        expect(got.stats.grads).toBe(30);
        // Wrong variant: the same dynamics one step shorter.
        const short = bilevel.hypergradient(problem, lambda, { ...o, steps: 29 });
        expect(relErr(got.grad, short.grad)).toBeGreaterThan(1e-3);
        use(backends[0]![0] as BackendName);
      });
    }
  }
});

describe.skipIf(!nativeBackend)(paritySuite('bilevel kernels'), () => {
  it('native ≡ js twin to float rounding, both sweeps, both problems', () => {
    const nb = nativeBackend!;
    for (const forward of [false, true]) {
      const T = 25;
      const run = (b: typeof nb) => {
        const w = new Float32Array(d);
        const grad = new Float32Array(d);
        const v = b.bilevelRidgeHypergrad(
          ridgeData.xTrain,
          ridgeData.yTrain,
          ridgeData.xVal,
          ridgeData.yVal,
          ridgeLambda,
          w,
          new Float32Array(T * d),
          grad,
          { steps: T, lr: 0.02, forward },
        );
        return { v, w, grad };
      };
      const a = run(nb);
      const b = run(jsBackend);
      expect(maxRelDiff(a.grad, b.grad)).toBeLessThan(1e-6);
      expect(maxRelDiff(a.w, b.w)).toBeLessThan(1e-6);
      expect(Math.abs(a.v - b.v)).toBeLessThan(1e-9);
      const nw = (cd + 1) * k;
      const runC = (be: typeof nb) => {
        const w = new Float32Array(nw);
        const grad = new Float32Array(n);
        const v = be.bilevelCleaningHypergrad(
          cleanData.xTrain,
          cleanData.yTrain,
          cleanData.xVal,
          cleanData.yVal,
          cleanLambda,
          w,
          new Float32Array(Math.max(T, n) * nw),
          grad,
          { steps: T, lr: 0.5, forward, classes: k, l2: 0.01 },
        );
        return { v, w, grad };
      };
      const c = runC(nb);
      const e = runC(jsBackend);
      expect(maxRelDiff(c.grad, e.grad)).toBeLessThan(1e-6);
      expect(maxRelDiff(c.w, e.w)).toBeLessThan(1e-6);
      expect(Math.abs(c.v - e.v)).toBeLessThan(1e-9);
    }
  });
});

describe.each(backends)('bilevel kernel arguments on %s', (_name, b) => {
  const s = { steps: 3, lr: 0.1, forward: false };
  const call = (over: Partial<Record<string, unknown>>) => () =>
    b.bilevelRidgeHypergrad(
      (over.xTrain ?? ridgeData.xTrain) as Float32Array,
      ridgeData.yTrain,
      (over.xVal ?? ridgeData.xVal) as Float32Array,
      ridgeData.yVal,
      (over.lambda ?? ridgeLambda) as Float32Array,
      (over.w ?? new Float32Array(d)) as Float32Array,
      (over.scratch ?? new Float32Array(3 * d)) as Float32Array,
      new Float32Array(d),
      (over.scalars ?? s) as typeof s,
    );
  it('names the argument', () => {
    expect(call({ lambda: new Float32Array(d + 1) })).toThrow(/lambda: expected length/);
    expect(call({ w: new Float64Array(d) })).toThrow(/w: expected a Float32Array/);
    expect(call({ xVal: new Float32Array(7) })).toThrow(/xVal: expected length/);
    expect(call({ scratch: new Float32Array(2 * d) })).toThrow(/scratch: expected at least/);
    expect(call({ scalars: { ...s, steps: 1.5 } })).toThrow(/scalars.steps/);
    expect(call({ scalars: { ...s, lr: Number.NaN } })).toThrow(/scalars.lr/);
    expect(() =>
      b.bilevelCleaningHypergrad(
        cleanData.xTrain,
        Int32Array.from(cleanData.yTrain, (y, i) => (i === 2 ? 7 : y)),
        cleanData.xVal,
        cleanData.yVal,
        cleanLambda,
        new Float32Array((cd + 1) * k),
        new Float32Array(3 * (cd + 1) * k),
        new Float32Array(n),
        { ...s, classes: k, l2: 0 },
      ),
    ).toThrow(/yTrain\[2\]: expected a label/);
  });
  it('hypergradient refuses fused where no kernel applies', () => {
    expect(() =>
      bilevel.hypergradient(ridge, ridgeLambda, { method: 'reverse', innerOptimizer: 'adam', fused: true }),
    ).toThrow(/fused: only for/);
    expect(() => bilevel.hypergradient(ridge, ridgeLambda, { method: 'implicit', fused: true })).toThrow(/fused/);
  });
});

describe('bilevel.solve with the fused kernel', () => {
  it('hypergradient descent with fused: true follows the problem-object run; BDA refuses it', async () => {
    const o = { method: 'hypergradient' as const, iterations: 15 };
    const hg = { method: 'reverse' as const, steps: 30, innerLr: 0.02 };
    const a = await bilevel.solve(ridge, { ...o, hypergradient: hg });
    const b = await bilevel.solve(ridge, { ...o, hypergradient: { ...hg, fused: true } });
    expect(maxRelDiff(b.lambda, a.lambda)).toBeLessThan(1e-4);
    expect(b.history[14]!.value).toBeLessThan(b.history[0]!.value);
    await expect(
      bilevel.solve(ridge, { method: 'bda', iterations: 2, hypergradient: { ...hg, fused: true } }),
    ).rejects.toThrow(/fused/);
  });
});
