// Bandit baselines on Gaussian arms (issue 15): μ ~ N(0, 1), rewards N(μ, 1), so an arm pulled n
// times with reward sum S has the conjugate posterior N(S / (n + 1), 1 / (n + 1)). The expected
// choice probabilities below are computed from that posterior by hand (normal CDF), not from the
// code under test; the plausible wrong variants (empirical mean, variance 1/n) are far outside.
import { describe, expect, it } from 'vitest';
import * as metaRl from '../src/metarl/index.js';
import { Rng } from '../src/metarl/rng.js';
import type { BanditView } from '../src/metarl/types.js';
import { key } from '../src/random/index.js';

// Rows of a 2-armed view: arm 0 pulled n0 times with sum s0, arm 1 n1 / s1, in every row.
function view(rows: number, n0: number, s0: number, n1: number, s1: number): BanditView {
  const pulls = new Int32Array(2 * rows);
  const sums = new Float64Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    pulls[2 * r] = n0;
    sums[2 * r] = s0;
    pulls[2 * r + 1] = n1;
    sums[2 * r + 1] = s1;
  }
  return {
    t: n0 + n1,
    rows,
    arms: 2,
    successes: new Int32Array(2 * rows),
    failures: new Int32Array(2 * rows),
    pulls,
    sums,
    lastAction: new Int32Array(rows),
    lastReward: new Float64Array(rows),
    rng: new Rng(key(4)),
  };
}

// Φ by the Abramowitz–Stegun 7.1.26 erf (|error| < 1.5e-7).
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

const setting = { arms: 2, horizon: 20, prior: { alpha: 1, beta: 1 }, rewards: 'gaussian' as const };

describe('bandit baselines on Gaussian arms', () => {
  it('Thompson picks arm 0 with the posterior probability P(μ0 > μ1)', () => {
    const rows = 40_000;
    const out = new Int32Array(rows);
    metaRl.baselines.thompson().bandit(setting)(view(rows, 3, 3, 0, 0), out);
    let zeros = 0;
    for (const a of out) zeros += a === 0 ? 1 : 0;
    // posteriors N(0.75, 0.25) and N(0, 1): P = Φ(0.75 / √1.25) = 0.7488
    const want = phi(0.75 / Math.sqrt(1.25));
    expect(Math.abs(zeros / rows - want)).toBeLessThan(0.01);
    // the empirical-mean, 1/n-variance variant would give Φ(1 / √(1 + 1/3)) = 0.807
    expect(Math.abs(zeros / rows - phi(1 / Math.sqrt(4 / 3)))).toBeGreaterThan(0.04);
  });

  it('greedy follows the shrunk posterior mean, not the empirical mean', () => {
    const out = new Int32Array(8);
    // arm 0: one pull of 1.5 → posterior mean 0.75; arm 1: nine pulls summing 9 → 0.9
    metaRl.baselines.greedy().bandit(setting)(view(8, 1, 1.5, 9, 9), out);
    expect([...out]).toEqual(new Array(8).fill(1));
  });

  it('UCB1 reads empirical means from the reward sums', () => {
    const out = new Int32Array(4);
    metaRl.baselines.ucb1({ c: 0 }).bandit(setting)(view(4, 1, 1.5, 9, 9), out);
    expect([...out]).toEqual([0, 0, 0, 0]); // 1.5 > 1.0 with no exploration bonus
  });

  it('plays Bandit-v0 with gaussian arms: Thompson and greedy beat random; DP and Gittins refuse', async () => {
    const ev = {
      env: 'Bandit-v0',
      envOptions: { arms: 5, pulls: 20, rewards: 'gaussian' as const },
      trials: 3000,
      seed: 1,
    };
    const rand = await metaRl.evaluateTrials(metaRl.baselines.random(), ev);
    const ts = await metaRl.evaluateTrials(metaRl.baselines.thompson(), ev);
    const gr = await metaRl.evaluateTrials(metaRl.baselines.greedy(), ev);
    expect(Math.abs(rand.meanReturn)).toBeLessThan(4 * rand.ci95); // E[μ] = 0 for a random arm
    // E[max of 5 N(0, 1)] ≈ 1.163 per pull is the oracle; 20 pulls → 23.3
    expect(ts.meanReturn).toBeGreaterThan(rand.meanReturn + 10);
    expect(ts.meanReturn).toBeLessThan(23.3);
    expect(gr.meanReturn).toBeGreaterThan(rand.meanReturn + 10);
    await expect(metaRl.evaluateTrials(metaRl.baselines.gittins(), ev)).rejects.toThrow(/Bernoulli arms only/);
    await expect(metaRl.evaluateTrials(metaRl.baselines.bayesOptimal(), ev)).rejects.toThrow(/Bernoulli arms only/);
    await expect(
      metaRl.evaluateTrials(metaRl.baselines.random(), {
        ...ev,
        envOptions: { ...ev.envOptions, prior: { alpha: 1, beta: 1 } },
      }),
    ).rejects.toThrow(/prior/);
  });

  it('RL² trains on gaussian arms and its policy refuses Bernoulli ones', async () => {
    const learner = metaRl.rl2({ env: 'Bandit-v0', envOptions: { arms: 2, pulls: 5, rewards: 'gaussian' }, hidden: 8 });
    const { policy } = await learner.train({ totalSteps: 2560, seed: 0 });
    const r = await metaRl.evaluateTrials(policy, {
      env: 'Bandit-v0',
      envOptions: { arms: 2, pulls: 5, rewards: 'gaussian' },
      trials: 200,
    });
    expect(Number.isFinite(r.meanReturn)).toBe(true);
    await expect(
      metaRl.evaluateTrials(policy, { env: 'Bandit-v0', envOptions: { arms: 2, pulls: 5 } }),
    ).rejects.toThrow(/rewards/);
  });
});
