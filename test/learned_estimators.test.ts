// ES / truncated ES / PES meta-gradient estimates against the true gradient of a smooth meta-loss
// (../shared/reference/meta-rl-and-learned-optimizers.md §11.4; PES: Vicol, Metz & Sohl-Dickstein 2021,
// google-research persistent_es/gradient_estimators.py). The toy: a one-parameter "learned optimizer"
// SGD with lr = exp(θ) on f(x) = ½x², x₀ = 1, T = 20 steps, meta-loss = mean over steps of log f(x_t).
// Its true gradient comes from float64 central differences of an independent float64 unroll.
import { describe, expect, it } from 'vitest';
import { learned, optim, random } from '../src/index.js';
import { createEstimator, type EstimatorName } from '../src/learned/estimators.js';
import type { LearnedOptimizer, Task } from '../src/learned/types.js';

const lrOptimizer: LearnedOptimizer = {
  name: 'sgd(exp θ)',
  size: 1,
  init: () => Float32Array.of(Math.log(0.3)),
  optimizer: (theta) => optim.sgd({ lr: Math.exp(theta[0]!) }),
};

const halfSquare: Task = {
  dim: 1,
  init: () => Float32Array.of(1),
  lossAndGrad: (p) => ({ value: 0.5 * p[0]! ** 2, grad: Float32Array.of(p[0]!) }),
  fork() {
    return halfSquare;
  },
};

/** Float64 meta-loss of the full T-step unroll (losses read before each step). */
function metaLoss64(theta: number, T: number): number {
  let x = 1;
  let s = 0;
  for (let t = 0; t < T; t++) {
    s += Math.log(0.5 * x * x);
    x -= Math.exp(theta) * x;
  }
  return s / T;
}

const T = 20;
const K = 2;
const theta0 = Math.log(0.3);
const h = 1e-5;
const trueGrad = (metaLoss64(theta0 + h, T) - metaLoss64(theta0 - h, T)) / (2 * h);

/** B independent batches of `pairs`; each batch's estimate averaged over one full horizon. */
function batchMeans(kind: EstimatorName, batches: number, pairs: number): number[] {
  const iters = kind === 'es' ? 1 : T / K;
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    const est = createEstimator(kind, {
      lo: lrOptimizer,
      nextTask: () => halfSquare,
      horizon: T,
      truncation: K,
      pairs,
      sigma: 0.01,
      key: random.key(100 + b),
      stagger: false,
    });
    let s = 0;
    for (let i = 0; i < iters; i++) s += est.estimate(Float32Array.of(theta0)).grad[0]!;
    out.push(s / iters);
  }
  return out;
}

function meanSe(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return [m, Math.sqrt(v / xs.length)];
}

describe('meta-gradient estimators on a learned step size', () => {
  it('the true gradient is the closed form (T−1)·(−η/(1−η)) (sanity of the reference)', () => {
    expect(trueGrad).toBeCloseTo((T - 1) * (-0.3 / 0.7), 6);
  });

  it('antithetic ES over the full unroll is unbiased', () => {
    const [m, se] = meanSe(batchMeans('es', 20, 100));
    expect(Math.abs(m - trueGrad)).toBeLessThan(3 * se + 1e-3);
    expect(se).toBeLessThan(0.1 * Math.abs(trueGrad));
  });

  it('PES averaged over a horizon is unbiased; truncated ES is biased toward the K-step greedy value', () => {
    const [mp, sep] = meanSe(batchMeans('pes', 20, 100));
    expect(Math.abs(mp - trueGrad)).toBeLessThan(3 * sep + 1e-3);
    const [mt, set] = meanSe(batchMeans('truncatedEs', 20, 100));
    // a truncation sees only the K-step effect of θ: mean over segments of Σ_{j<K} 2j·d/T·… = −η/(1−η)
    expect(Math.abs(mt - -0.3 / 0.7)).toBeLessThan(3 * set + 1e-3);
    expect(Math.abs(mt - trueGrad)).toBeGreaterThan(20 * set);
  });
});

describe('learned.train', () => {
  it('meta-trains the step size toward lower meta-loss, deterministically', async () => {
    const run = () =>
      learned.train({
        optimizer: lrOptimizer,
        tasks: [halfSquare],
        estimator: 'pes',
        iterations: 40,
        horizon: T,
        truncation: 5,
        population: 8,
        sigma: 0.05,
        outerOptimizer: optim.adam({ lr: 0.05 }),
        seed: 1,
      });
    const a = await run();
    const b = await run();
    expect(a.theta).toEqual(b.theta);
    expect(a.history).toEqual(b.history);
    expect(metaLoss64(a.theta[0]!, T)).toBeLessThan(metaLoss64(theta0, T) - 1);
  });

  it('runs the MLP optimizer on the quadratic family with each estimator, deterministically', async () => {
    const lo = learned.mlpOptimizer({ hidden: [4] });
    const fam = learned.tasks.quadratic({ dim: 3, noise: 0.1 });
    for (const estimator of ['es', 'pes', 'truncatedEs'] as const) {
      const opts = {
        optimizer: lo,
        tasks: fam,
        estimator,
        iterations: 3,
        horizon: 6,
        truncation: 3,
        population: 4,
        seed: 2,
      };
      const a = await learned.train(opts);
      const b = await learned.train(opts);
      expect(a.theta).toEqual(b.theta);
      expect(a.history).toHaveLength(3);
      expect(a.theta).not.toEqual(lo.init(2));
    }
  });

  it('bad input names the argument', async () => {
    const base = { optimizer: lrOptimizer, tasks: [halfSquare], iterations: 1, horizon: 4, seed: 0 };
    await expect(learned.train({ ...base, population: 3 })).rejects.toThrow(/population/);
    await expect(learned.train({ ...base, truncation: 3 })).rejects.toThrow(/truncation/);
    await expect(learned.train({ ...base, estimator: 'sgd' as never })).rejects.toThrow(/estimator/);
    await expect(learned.train({ ...base, tasks: 5 as never })).rejects.toThrow(/tasks/);
    await expect(learned.train({ ...base, horizon: 0 })).rejects.toThrow(/horizon/);
    await expect(learned.train({ ...base, theta: new Float32Array(2) })).rejects.toThrow(/theta/);
  });
});
