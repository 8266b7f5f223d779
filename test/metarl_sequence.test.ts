// metaRl.sequencePrediction (Ortega et al. 2019): the Bayes predictor (n₁ + α)/(t + α + β) and the
// Bernoulli KL against hand values, a short meta-training run that approaches the Bayes predictor
// (KL far below the prior-mean predictor's), determinism and errors.
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';

describe('Bayes predictor and KL', () => {
  it('matches hand values', () => {
    const p = metaRl.bayesPredictions([1, 1, 0, 0, 0, 1], 2, 3, { alpha: 2, beta: 3 });
    expect(Array.from(p)).toEqual([2 / 5, 3 / 6, 4 / 7, 2 / 5, 2 / 6, 2 / 7]);
    expect(metaRl.bernoulliKl(0.3, 0.3)).toBe(0);
    expect(metaRl.bernoulliKl(0.5, 0.25)).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(0.5 / 0.75), 15);
    expect(metaRl.bernoulliKl(1, 0.5)).toBeCloseTo(Math.log(2), 15);
  });
});

describe('metaRl.sequencePrediction', () => {
  const opts = { length: 8, hidden: 8, batch: 64, iterations: 200, heldOut: 500, lr: 1e-2 };

  it('a short meta-training run predicts close to the Bayes predictor', async () => {
    const r = await metaRl.sequencePrediction({ ...opts, seed: 0 });
    // The constant prior-mean predictor 1/2 has mean KL ≈ 0.10 nats here (Beta(1, 1), 8 flips).
    expect(r.heldOut.meanKl).toBeLessThan(0.02);
    expect(r.heldOut.logLoss).toBeGreaterThanOrEqual(r.heldOut.bayesLogLoss - 0.01);
    expect(r.history).toHaveLength(2);
    const p = r.predict([1, 1, 1, 1, 1, 1, 1, 1], 1);
    expect(p[7]).toBeGreaterThan(0.7); // Bayes: 8/9 after seven ones
  }, 30_000);

  it('is deterministic per seed and checks its options', async () => {
    const a = await metaRl.sequencePrediction({ ...opts, iterations: 20, seed: 1 });
    const b = await metaRl.sequencePrediction({ ...opts, iterations: 20, seed: 1 });
    expect(a.params).toEqual(b.params);
    await expect(metaRl.sequencePrediction({ length: 0 })).rejects.toThrow(/options\.length/);
    await expect(metaRl.sequencePrediction({ prior: { alpha: 0, beta: 1 } })).rejects.toThrow(/options\.prior\.alpha/);
    await expect(metaRl.sequencePrediction({ bogus: 1 } as never)).rejects.toThrow(/bogus/);
  });
});
