// learned.train checkpoints: resuming from any checkpoint reproduces the uninterrupted run bit for
// bit (θ, history), for every estimator; the 'final' meta-objective and pair staggering.
import { describe, expect, it } from 'vitest';
import { learned, optim, random } from '../src/index.js';
import { createEstimator } from '../src/learned/estimators.js';
import type { LearnedOptimizer, Task } from '../src/learned/types.js';

describe('learned.train checkpoints', () => {
  it('resume from a mid-run checkpoint equals the uninterrupted run, for es, pes and truncatedEs', async () => {
    const lo = learned.mlpOptimizer({ hidden: [4] });
    const fam = learned.tasks.quadratic({ dim: 3, noise: 0.1 });
    for (const estimator of ['es', 'pes', 'truncatedEs'] as const) {
      const base = {
        optimizer: lo,
        tasks: fam,
        estimator,
        iterations: 7,
        horizon: 6,
        truncation: 2,
        population: 4,
        seed: 5,
      };
      const checkpoints: learned.TrainCheckpoint[] = [];
      const full = await learned.train({
        ...base,
        outerOptimizer: optim.adam({ lr: 1e-2 }),
        checkpointEvery: 3,
        onCheckpoint: (c) => {
          checkpoints.push(c);
        },
      });
      expect(checkpoints.map((c) => c.iteration)).toEqual([3, 6, 7]);
      const resumed = await learned.train({
        ...base,
        outerOptimizer: optim.adam({ lr: 1e-2 }),
        resume: checkpoints[0],
      });
      expect(resumed.theta).toEqual(full.theta);
      expect(resumed.history).toEqual(full.history);
      expect(checkpoints[2]!.theta).toEqual(full.theta);
    }
  });

  it('a checkpoint from a different optimizer is rejected by name', async () => {
    const lo = learned.mlpOptimizer({ hidden: [4] });
    const fam = learned.tasks.quadratic({ dim: 3 });
    const base = { optimizer: lo, tasks: fam, iterations: 2, horizon: 4, truncation: 2, population: 4, seed: 0 };
    let cp: learned.TrainCheckpoint | undefined;
    await learned.train({
      ...base,
      checkpointEvery: 1,
      onCheckpoint: (c) => {
        cp = c;
      },
    });
    await expect(
      learned.train({ ...base, optimizer: learned.mlpOptimizer({ hidden: [5] }), resume: cp }),
    ).rejects.toThrow(/resume.theta/);
    await expect(learned.train({ ...base, population: 6, resume: cp })).rejects.toThrow(/pairs/);
    await expect(learned.train({ ...base, objective: 'last' as never })).rejects.toThrow(/objective/);
  });
});

// The toy of learned_estimators.test.ts: SGD with lr = exp(θ) on ½x², x₀ = 1; the final meta-loss
// log f(x_T) = log ½ + 2T·log(1 − η) has gradient 2T·(−η/(1 − η)).
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
  fork: () => halfSquare,
};

describe("the 'final' meta-objective", () => {
  it('ES and PES (summed over a horizon) estimate d log f(x_T)/dθ; staggered pairs spread the phases', () => {
    const T = 10;
    const K = 2;
    const truth = 2 * T * (-0.3 / 0.7);
    for (const kind of ['es', 'pes'] as const) {
      const est = createEstimator(kind, {
        lo: lrOptimizer,
        nextTask: () => halfSquare,
        horizon: T,
        truncation: K,
        pairs: 2000,
        sigma: 0.01,
        key: random.key(7),
        objective: 'final',
        stagger: false,
      });
      const iters = kind === 'es' ? 1 : T / K;
      let s = 0;
      const perIter: number[] = [];
      for (let i = 0; i < iters; i++) {
        const g = est.estimate(Float32Array.of(Math.log(0.3))).grad[0]!;
        perIter.push(g);
        s += g;
      }
      // in one dimension the estimate is truth·mean(ε²)/σ² (+ O(σ²)): relative s.e. √(2/2000) ≈ 3.2%
      expect(Math.abs(s - truth)).toBeLessThan(0.13 * Math.abs(truth));
      // unstaggered PES: all the signal arrives in the last segment
      if (kind === 'pes') expect(perIter.slice(0, -1).every((g) => g === 0)).toBe(true);
    }
    const staggered = createEstimator('pes', {
      lo: lrOptimizer,
      nextTask: () => halfSquare,
      horizon: T,
      truncation: K,
      pairs: 10,
      sigma: 0.01,
      key: random.key(7),
      objective: 'final',
    });
    // with pairs starting at segments 0..4, some pair finishes its unroll in the very first estimate
    expect(staggered.estimate(Float32Array.of(Math.log(0.3))).grad[0]).not.toBe(0);
  });
});
