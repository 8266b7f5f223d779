// Lagrangian PPO (Ray et al. 2019's PPO-Lagrangian; ReLOAD's optimistic multiplier, Moskovitz et al.
// 2023): the multiplier steps and cost advantages against hand computations, the wiring through
// rl.ppo.train (the reported multipliers follow the reported costs step by step), determinism,
// the built-in costs and clear errors.
import { describe, expect, it } from 'vitest';
import { multiplierStep } from '../src/constrained/index.js';
import { rl } from '../src/index.js';
import type { RolloutCollector } from '../src/rl/collector.js';
import { costAdvantages, LagrangianPenalty } from '../src/rl/lagrangian.js';

const f32 = (...v: number[]) => new Float32Array(v);

describe('multiplier steps', () => {
  it('gda: [μ + η g]₊; reload: [μ + η(2g − g_prev)]₊ (hand-computed)', () => {
    expect(multiplierStep(0.5, 0.3, 0.1, 2, 'gda')).toBeCloseTo(1.1, 12);
    expect(multiplierStep(0.1, -1, 0, 1, 'gda')).toBe(0);
    expect(multiplierStep(0.5, 0.3, 0.1, 2, 'reload')).toBeCloseTo(1.5, 12);
    expect(multiplierStep(0.5, -0.3, 0.4, 0.1, 'reload')).toBeCloseTo(0.5 - 0.1, 12);
    // First step (prev = own slack): optimistic equals plain.
    expect(multiplierStep(0.2, 0.4, 0.4, 1, 'reload')).toBeCloseTo(multiplierStep(0.2, 0.4, 0.4, 1, 'gda'), 12);
  });
});

describe('cost advantages', () => {
  it('discounted cost-to-go minus ρ/(1 − γ), bootstrapping the tail (hand-computed)', () => {
    const out = new Float64Array(3);
    const costs = Float64Array.from([1, 0, 1]);
    const rate = costAdvantages(costs, new Uint8Array(3), new Uint8Array(3), 3, 1, 0.5, out);
    expect(rate).toBeCloseTo(2 / 3, 12);
    const tail = 4 / 3; // ρ/(1 − γ)
    expect([...out].map((v) => v + tail)).toEqual([17 / 12, 5 / 6, 5 / 3].map((v) => expect.closeTo(v, 12)));
    // Termination at step 1 ends the sum there; truncation bootstraps the tail instead.
    costAdvantages(costs, Uint8Array.from([0, 1, 0]), new Uint8Array(3), 3, 1, 0.5, out);
    expect(out[0]! + tail).toBeCloseTo(1, 12);
    expect(out[1]! + tail).toBeCloseTo(0, 12);
    costAdvantages(costs, new Uint8Array(3), Uint8Array.from([0, 1, 0]), 3, 1, 0.5, out);
    expect(out[1]! + tail).toBeCloseTo(0.5 * tail, 12);
    // Two envs, time-major: env 1's column is independent of env 0's.
    const two = new Float64Array(4);
    costAdvantages(Float64Array.from([1, 0, 0, 0]), new Uint8Array(4), new Uint8Array(4), 2, 2, 0.5, two);
    const t2 = 0.25 / 0.5;
    expect(two[0]! + t2).toBeCloseTo(1 + 0.5 * (0 + 0.5 * t2), 12);
    expect(two[1]! + t2).toBeCloseTo(0.5 * (0 + 0.5 * t2), 12);
  });
});

// A collector with 2 steps × 1 env, obs = [x], discrete actions; advantages (1, 3).
function fakeCollector(xs: number[]): RolloutCollector {
  return {
    obsDim: 1,
    numEnvs: 1,
    opts: { numSteps: xs.length },
    obs: Float32Array.from(xs),
    actions: new Int32Array(xs.length),
    terminated: new Uint8Array(xs.length),
    truncated: new Uint8Array(xs.length),
    advantages: f32(1, 3),
  } as unknown as RolloutCollector;
}

describe('LagrangianPenalty', () => {
  const spec = (lagrangian: 'gda' | 'reload') => ({
    constraints: [{ cost: rl.costs.outside(0, 0.5), limit: 0.25 }],
    lagrangian,
    dualLr: 2,
    multiplier0: 1,
  });

  it('mixes standardized advantages with λ_k and steps λ on the rollout slack (hand-computed)', () => {
    const p = new LagrangianPenalty(spec('gda'), 2, 0.5);
    const col = fakeCollector([1, 0]); // costs (1, 0): rate 0.5, slack 0.25
    const s = p.apply(col);
    expect(s.costs).toEqual([0.5]);
    expect(s.multipliers).toEqual([1]);
    // Â_r = (−1, 1); cost-to-go G = (1 + 0.5·(0 + 0.5·1), 0 + 0.5·1) = (1.25, 0.5), standardized (1, −1).
    expect([...col.advantages]).toEqual([(-1 - 1) / 2, (1 + 1) / 2]);
    expect(p.lambda[0]).toBeCloseTo(1 + 2 * 0.25, 12);
    // Next rollout: no cost, slack −0.25.
    p.apply(fakeCollector([0, 0]));
    expect(p.lambda[0]).toBeCloseTo(1.5 - 0.5, 12);
  });

  it('reload extrapolates the slack from the second step on', () => {
    const p = new LagrangianPenalty(spec('reload'), 2, 0.5);
    p.apply(fakeCollector([1, 0])); // slack 0.25, first step: as GDA
    expect(p.lambda[0]).toBeCloseTo(1.5, 12);
    p.apply(fakeCollector([0, 0])); // slack −0.25: λ + 2·(2·(−0.25) − 0.25)
    expect(p.lambda[0]).toBeCloseTo(1.5 - 1.5, 12);
    // The wrong variant (plain GDA) would have given 1.0 here.
    expect(p.lambda[0]).not.toBeCloseTo(1, 3);
  });
});

describe('rl.ppo.train with constraints', () => {
  const base = { env: 'CartPole-v1', totalSteps: 2048, numEnvs: 4, numSteps: 128, seed: 3 } as const;
  const cons = [{ cost: rl.costs.cartpoleVelocity(0.2), limit: 0.1 }];

  for (const lagrangian of ['gda', 'reload'] as const) {
    it(`${lagrangian}: the reported multipliers follow the reported costs by the multiplier step`, async () => {
      const r = await rl.ppo.train({ ...base, constraints: cons, lagrangian, dualLr: 3, multiplier0: 0.5 });
      const L = r.lagrangian ?? [];
      expect(L).toHaveLength(r.history.length);
      expect(L[0]?.multipliers).toEqual([0.5]);
      let prev = (L[0]?.costs[0] as number) - 0.1;
      for (let k = 1; k < L.length; k++) {
        const slack = (L[k - 1]?.costs[0] as number) - 0.1;
        const want = multiplierStep(L[k - 1]?.multipliers[0] as number, slack, prev, 3, lagrangian);
        expect(L[k]?.multipliers[0]).toBeCloseTo(want, 12);
        prev = slack;
      }
      for (const s of L) expect(s.costs[0]).toBeGreaterThanOrEqual(0);
    });
  }

  it('is deterministic, and the penalty changes the policy', async () => {
    const a = await rl.ppo.train({ ...base, constraints: cons, lagrangian: 'reload', multiplier0: 2 });
    const b = await rl.ppo.train({ ...base, constraints: cons, lagrangian: 'reload', multiplier0: 2 });
    const plain = await rl.ppo.train({ ...base });
    expect(a.policy.params).toEqual(b.policy.params);
    expect(a.lagrangian).toEqual(b.lagrangian);
    expect(a.policy.params).not.toEqual(plain.policy.params);
    expect(plain.lagrangian).toBeUndefined();
  });

  it('clear errors for bad constraint options', async () => {
    await expect(rl.ppo.train({ ...base, constraints: [] })).rejects.toThrow(/constraints: expected a non-empty/);
    await expect(rl.ppo.train({ ...base, constraints: [{ cost: 1 as never, limit: 0 }] })).rejects.toThrow(
      /constraints\[0\]\.cost/,
    );
    await expect(rl.ppo.train({ ...base, constraints: [{ cost: () => 0, limit: Number.NaN }] })).rejects.toThrow(
      /constraints\[0\]\.limit/,
    );
    await expect(rl.ppo.train({ ...base, constraints: cons, lagrangian: 'foo' as never })).rejects.toThrow(RangeError);
    await expect(rl.ppo.train({ ...base, constraints: cons, dualLr: -1 })).rejects.toThrow(/dualLr/);
    await expect(rl.ppo.train({ ...base, constraints: cons, normalizeObs: true })).rejects.toThrow(/normalizeObs/);
    await expect(rl.ppo.train({ ...base, constraints: cons, resume: '/nonexistent' })).rejects.toThrow(/resume/);
    await expect(rl.ppo.train({ ...base, constraints: [{ cost: () => Number.NaN, limit: 0 }] })).rejects.toThrow(
      /constraints\[0\]\.cost returned NaN/,
    );
    await expect(rl.ppo.train({ ...base, lagrangian: 'gda' })).rejects.toThrow(/constraints/);
  });
});

describe('rl.costs', () => {
  it('CartPole position/velocity and a hazard ball', () => {
    expect(rl.costs.cartpolePosition(0.5)(f32(0.6, 0, 0, 0), 0)).toBe(1);
    expect(rl.costs.cartpolePosition(0.5)(f32(-0.4, 9, 0, 0), 0)).toBe(0);
    expect(rl.costs.cartpoleVelocity(0.5)(f32(0, -0.7, 0, 0), 1)).toBe(1);
    const h = rl.costs.hazard({ center: f32(1, 1), radius: 0.5, indices: [2, 3] });
    expect(h(f32(9, 9, 1.2, 0.8), f32(0, 0))).toBe(1);
    expect(h(f32(1, 1, 2, 2), f32(0, 0))).toBe(0);
    expect(() => rl.costs.hazard({ center: f32(1), radius: 0.5 })).toThrow(/center/);
    expect(() => rl.costs.outside(-1, 1)).toThrow(/index/);
  });
});
