// Tabular-MDP baselines of RL² (reference §5.4): the finite-horizon DP against a hand-solved
// 2-state MDP, the conjugate posterior (Dirichlet(1 + counts), Normal mean with known noise)
// against hand-computed values, PSRL's posterior draws against their moments, and the trial
// evaluation on Duan et al.'s TabularMDP-v0 (random's expected total is exactly 100 for 10
// episodes of 10 steps, since E[R(s, a)] = 1 under the prior).
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { MdpPosterior } from '../src/metarl/mdp/posterior.js';
import { Rng } from '../src/metarl/rng.js';
import { key } from '../src/random/index.js';

describe('finiteHorizonQ', () => {
  // s0: a0 stays (r 1), a1 → s1 (r 0); s1: a0 stays (r 2), a1 → s0/s1 w.p. ½ (r 3).
  const P = [1, 0, 0, 1, 0, 1, 0.5, 0.5];
  const R = [1, 0, 2, 3];

  it('matches the hand-solved Q-values for h = 1, 2, 3', () => {
    const q = new Float64Array(3 * 4);
    const v = metaRl.finiteHorizonQ(P, 0, R, 0, 2, 2, 3, q);
    expect(Array.from(q)).toEqual([1, 0, 2, 3, 2, 3, 5, 5, 4, 5, 7, 7]);
    expect(v).toBe(5);
    expect(metaRl.finiteHorizonQ(P, 0, R, 0, 2, 2, 3, q, 1)).toBe(7);
    // an expectation over actions instead of the max (a plausible slip) gives V_3(0) = 3.75
  });
});

describe('MdpPosterior', () => {
  it('is the conjugate posterior: Dirichlet(1 + counts) mean and N((1 + Σr)/(1 + n), 1/(1 + n))', () => {
    const post = new MdpPosterior(1, 2, 2);
    const tr = (s: number, a: number, r: number, s2: number) => ({
      rows: 1,
      states: Int32Array.of(s),
      actions: Int32Array.of(a),
      rewards: Float64Array.of(r),
      nextStates: Int32Array.of(s2),
      done: Uint8Array.of(0),
    });
    post.observe(tr(0, 1, 2, 1));
    post.observe(tr(0, 1, 0, 1));
    const p = new Float64Array(8);
    const rew = new Float64Array(4);
    post.meanMdp(0, p, rew, 0);
    expect(Array.from(p.subarray(2, 4))).toEqual([0.25, 0.75]);
    expect(Array.from(p.subarray(0, 2))).toEqual([0.5, 0.5]);
    expect(rew[1]).toBeCloseTo(1, 15); // (1 + 2 + 0) / 3
    expect(post.rewardPosterior(1)[1]).toBeCloseTo(1 / 3, 15);
    expect(rew[0]).toBe(1);
    post.meanMdp(0, p, rew, 0.6);
    expect(rew[1]).toBeCloseTo(1 + 0.6 / 3, 15); // BEB bonus β/(1 + n)
  });

  it('PSRL draws have the posterior moments', () => {
    const post = new MdpPosterior(1, 3, 1);
    for (let i = 0; i < 4; i++)
      post.observe({
        rows: 1,
        states: Int32Array.of(0),
        actions: Int32Array.of(0),
        rewards: Float64Array.of(3),
        nextStates: Int32Array.of(2),
        done: Uint8Array.of(0),
      });
    const rng = new Rng(key(1));
    const p = new Float64Array(9);
    const rew = new Float64Array(3);
    const n = 20000;
    let m2 = 0;
    let r0 = 0;
    let r0sq = 0;
    for (let i = 0; i < n; i++) {
      post.sampleMdp(0, rng, p, rew);
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 12);
      m2 += p[2]!;
      r0 += rew[0]!;
      r0sq += rew[0]! ** 2;
    }
    expect(m2 / n).toBeCloseTo(5 / 7, 2); // Dirichlet(1, 1, 5)
    expect(r0 / n).toBeCloseTo(13 / 5, 1); // (1 + 12) / 5
    expect(r0sq / n - (r0 / n) ** 2).toBeCloseTo(1 / 5, 1);
  });
});

describe('evaluateMdpTrials', () => {
  const M = metaRl.mdpBaselines;
  const opts = { episodesPerTrial: 10, trials: 1000, seed: 0 };

  it('random totals 100 in expectation; the model-based agents beat it', async () => {
    const rnd = await metaRl.evaluateMdpTrials(M.random(), opts);
    expect(Math.abs(rnd.meanReturn - 100)).toBeLessThan(1.5 * rnd.ci95);
    for (const a of [M.greedy(), M.psrl(), M.beb()]) {
      const r = await metaRl.evaluateMdpTrials(a, { ...opts, trials: 300 });
      expect(r.meanReturn - r.ci95).toBeGreaterThan(rnd.meanReturn + rnd.ci95 + 10);
    }
  });

  it('is deterministic per seed and checks its input', async () => {
    const a = await metaRl.evaluateMdpTrials(M.psrl(), { ...opts, trials: 20 });
    const b = await metaRl.evaluateMdpTrials(M.psrl(), { ...opts, trials: 20 });
    expect(a.perTrial).toEqual(b.perTrial);
    await expect(metaRl.evaluateMdpTrials(M.psrl(), { trials: 0 })).rejects.toThrow(/options\.trials/);
    await expect(metaRl.evaluateMdpTrials({} as never)).rejects.toThrow(TypeError);
    expect(() => M.beb({ beta: -1 })).toThrow(/options\.beta/);
  });
});
