// metaRl bandit baselines. The exact Bayes-optimal DP against (a) brute-force expectimax over the
// full, non-exchangeable belief tree (no memo, no sorting) on tiny horizons and (b) the exact values
// of reference meta-rl-and-learned-optimizers.md §5.3 (J. Boyan's 0.6821/pull for k = 3, n = 25).
// Gittins indices against the reference's §5.4 calibration table and a brute-force retirement
// formulation. Baselines against the reference's Monte-Carlo cross-checks of RL²'s Table 1.
import { describe, expect, it } from 'vitest';
import { metaRl } from '../src/index.js';
import { Rng } from '../src/metarl/rng.js';
import { key } from '../src/random/index.js';

const { BetaBernoulliDp, baselines: B, evaluateTrials, gittinsIndex } = metaRl;

// Expectimax over the full tree: every arm kept apart, every branch re-expanded. With
// `myopic`, the arm is chosen by its immediate mean (greedy) and then valued exactly — the
// plausible wrong variant the DP test must tell apart.
function bruteForce(s: number[], f: number[], left: number, a: number, b: number, myopic = false): number {
  if (left === 0) return 0;
  const q = s.map((si, i) => {
    const p = (a + si) / (a + b + si + (f[i] as number));
    const win = s.slice();
    win[i] = si + 1;
    const lose = f.slice();
    lose[i] = (f[i] as number) + 1;
    return p * (1 + bruteForce(win, f, left - 1, a, b, myopic)) + (1 - p) * bruteForce(s, lose, left - 1, a, b, myopic);
  });
  if (!myopic) return Math.max(...q);
  const means = s.map((si, i) => (a + si) / (a + b + si + (f[i] as number)));
  return q[means.indexOf(Math.max(...means))] as number;
}

describe('metaRl.BetaBernoulliDp (exact Bayes-optimal values)', () => {
  it('equals brute-force expectimax on tiny horizons, any prior', () => {
    for (const [k, h, a, b] of [
      [2, 1, 1, 1],
      [2, 5, 1, 1],
      [2, 6, 2, 0.5],
      [3, 4, 0.7, 1.3],
      [4, 3, 1, 1],
    ] as const) {
      const dp = new BetaBernoulliDp(k, h, a, b);
      const zero = new Array<number>(k).fill(0);
      expect(dp.rootValue()).toBeCloseTo(bruteForce(zero, zero, h, a, b), 12);
    }
  });

  it('Q-values at a visited belief equal brute force', () => {
    const dp = new BetaBernoulliDp(3, 6, 1, 2);
    const s = [1, 0, 0];
    const f = [0, 2, 0];
    const q = new Float64Array(3);
    dp.qValues(s, f, q);
    for (let i = 0; i < 3; i++) {
      const p = (1 + s[i]!) / (3 + s[i]! + f[i]!);
      const win = s.slice();
      win[i]! += 1;
      const lose = f.slice();
      lose[i]! += 1;
      const want = p * (1 + bruteForce(win, f, 2, 1, 2)) + (1 - p) * bruteForce(s, lose, 2, 1, 2);
      expect(q[i]).toBeCloseTo(want, 12);
    }
  });

  it('the greedy variant is measurably worse, so the comparison has teeth', () => {
    const exact = new BetaBernoulliDp(2, 6, 1, 1).rootValue();
    expect(exact - bruteForce([0, 0], [0, 0], 6, 1, 1, true)).toBeGreaterThan(1e-3);
  });

  it('reproduces the reference exact values (§5.3) to 1e-4', () => {
    for (const [k, n, v] of [
      [2, 10, 6.0218],
      [2, 20, 12.4313],
      [2, 25, 15.6696],
      [3, 25, 17.0519],
      [5, 10, 6.66],
      [10, 10, 6.714],
      [50, 10, 6.714],
    ] as const) {
      expect(Math.abs(new BetaBernoulliDp(k, n, 1, 1).rootValue() - v)).toBeLessThan(1e-4);
    }
    expect(new BetaBernoulliDp(3, 25, 1, 1).rootValue() / 25).toBeCloseTo(0.6821, 4);
  });

  it('rejects counts past the horizon', () => {
    expect(() => new BetaBernoulliDp(2, 3, 1, 1).qValues([2, 0], [0, 1], new Float64Array(2))).toThrow(RangeError);
  });
});

// Retirement form, recursive and independent of gittins.ts's in-place C sweep:
// V = max(retire λ/(1−γ), pull), leaves max(λ, p)/(1−γ); the index makes the forced pull at the
// root worth exactly retiring.
function bruteGittins(a: number, b: number, gamma: number, depth: number): number {
  const v = (x: number, y: number, d: number, lam: number): number => {
    const p = x / (x + y);
    if (d === 0) return Math.max(lam, p) / (1 - gamma);
    return Math.max(lam / (1 - gamma), p + gamma * (p * v(x + 1, y, d - 1, lam) + (1 - p) * v(x, y + 1, d - 1, lam)));
  };
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 60; it++) {
    const lam = 0.5 * (lo + hi);
    const p = a / (a + b);
    const pull = p + gamma * (p * v(a + 1, b, depth - 1, lam) + (1 - p) * v(a, b + 1, depth - 1, lam));
    if (pull > lam / (1 - gamma)) lo = lam;
    else hi = lam;
  }
  return 0.5 * (lo + hi);
}

describe('metaRl.gittinsIndex', () => {
  it('reproduces the reference calibration table (§5.4) to 1e-4', () => {
    const table: [number, number, number[]][] = [
      [0.9, 400, [0.7029, 0.8001, 0.5001, 0.6346, 0.5676]],
      [0.95, 400, [0.7614, 0.8381, 0.5601, 0.681, 0.5957]],
      [0.99, 800, [0.8699, 0.9102, 0.7005, 0.7844, 0.6697]],
    ];
    const ab = [
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
      [5, 5],
    ] as const;
    for (const [gamma, depth, want] of table) {
      ab.forEach(([a, b], j) => {
        expect(Math.abs(gittinsIndex(a, b, gamma, { depth }) - want[j]!)).toBeLessThan(1e-4);
      });
    }
  });

  it('equals a brute-force retirement calibration on a tiny tree', () => {
    for (const [a, b, g] of [
      [1, 1, 0.9],
      [3, 2, 0.7],
      [0.5, 1.5, 0.95],
    ] as const) {
      expect(gittinsIndex(a, b, g, { depth: 7, tol: 1e-13 })).toBeCloseTo(bruteGittins(a, b, g, 7), 10);
    }
  });

  it('exceeds the posterior mean (the value of information) and rejects bad input', () => {
    expect(gittinsIndex(2, 3, 0.9)).toBeGreaterThan(0.4 + 1e-3);
    expect(() => gittinsIndex(0, 1, 0.9)).toThrow(/a:/);
    expect(() => gittinsIndex(1, 1, 1)).toThrow(/gamma:/);
  });
});

describe('metaRl.evaluateTrials with the baselines', () => {
  const env = 'Bandit-v0';

  it('Bayes-optimal play averages the exact DP value (Monte-Carlo within its interval)', async () => {
    for (const prior of [undefined, { alpha: 2, beta: 1 }]) {
      const r = await evaluateTrials(B.bayesOptimal(), {
        env,
        envOptions: { arms: 2, pulls: 10, ...(prior ? { prior } : {}) },
        trials: 20000,
        seed: 1,
      });
      const exact = new BetaBernoulliDp(2, 10, prior?.alpha ?? 1, prior?.beta ?? 1).rootValue();
      expect(Math.abs(r.meanReturn - exact)).toBeLessThan(3 * r.ci95);
      expect(r.perTrial.length).toBe(20000);
    }
  });

  it("matches the reference's Monte-Carlo cross-checks of RL² Table 1 at (n 10, k 5)", async () => {
    // Reference §5.3: Thompson 5.83, greedy 6.63, plain UCB1 5.67 (2–4·10⁵ tasks); random n/2.
    for (const [b, want] of [
      [B.random(), 5],
      [B.thompson(), 5.83],
      [B.greedy(), 6.63],
      [B.ucb1(), 5.67],
    ] as const) {
      const r = await evaluateTrials(b, { env, envOptions: { arms: 5, pulls: 10 }, trials: 20000, seed: 2 });
      expect(Math.abs(r.meanReturn - want)).toBeLessThan(3 * r.ci95 + 0.02);
    }
  });

  it('is deterministic in the seed, and trials are independent draws', async () => {
    const o = { env, envOptions: { arms: 3, pulls: 8 }, trials: 300, seed: 5 };
    for (const b of [B.thompson(), B.epsGreedy({ eps: 0.2 }), B.gittins({ gamma: 0.9 })]) {
      const x = await evaluateTrials(b, o);
      expect(await evaluateTrials(b, o)).toEqual(x);
      expect((await evaluateTrials(b, { ...o, seed: 6 })).perTrial).not.toEqual(x.perTrial);
    }
  });

  it('a trial spans episodesPerTrial episodes of one task', async () => {
    const r = await evaluateTrials(B.bayesOptimal(), {
      env,
      envOptions: { arms: 2, pulls: 5 },
      episodesPerTrial: 2,
      trials: 20000,
      seed: 3,
    });
    expect(Math.abs(r.meanReturn - new BetaBernoulliDp(2, 10, 1, 1).rootValue())).toBeLessThan(3 * r.ci95);
  });

  it('names the bad argument', async () => {
    const ok = { env, envOptions: { arms: 2, pulls: 4 }, trials: 4 };
    await expect(evaluateTrials({} as never, ok)).rejects.toThrow(TypeError);
    await expect(evaluateTrials(B.random(), { ...ok, env: 'CartPole-v1' })).rejects.toThrow(/options.env/);
    await expect(evaluateTrials(B.random(), { ...ok, envOptions: { arms: 1 } })).rejects.toThrow(/arms/);
    await expect(evaluateTrials(B.random(), { ...ok, envOptions: { prior: { alpha: 0, beta: 1 } } })).rejects.toThrow(
      /prior.alpha/,
    );
    await expect(evaluateTrials(B.bayesOptimal({ horizon: 2 }), ok)).rejects.toThrow(/horizon/);
    expect(() => B.epsGreedy({ eps: 2 })).toThrow(/options.eps/);
    expect(() => B.gittins({ gamma: 1 })).toThrow(/options.gamma/);
    expect(() => B.ucb1({ c: -1 })).toThrow(/options.c/);
  });
});

describe('metaRl Rng (the baselines draws)', () => {
  it('Beta draws have the Beta moments', () => {
    const rng = new Rng(key(9));
    for (const [a, b] of [
      [2, 5],
      [0.5, 0.5],
    ] as const) {
      const n = 40000;
      let m = 0;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const x = rng.beta(a, b);
        m += x;
        m2 += x * x;
      }
      m /= n;
      const v = m2 / n - m * m;
      const mean = a / (a + b);
      const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(variance / n));
      expect(Math.abs(v - variance) / variance).toBeLessThan(0.03);
    }
  });
});
