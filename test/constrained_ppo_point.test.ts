// The constrained point robot of examples/constrained_ppo_point.ts: the premises it rests on
// (a numEnvs-1 PointRobot-v0 run keeps one goal for every episode, the same goal
// envs.make(id, { numEnvs: 1, seed }) reports; the hazard halfway along the straight path is
// crossed by the straight-line walker) and Lagrangian PPO on that env: the multipliers follow
// the GDA / ReLOAD recurrences on the reported cost rates (hand-written from Moskovitz et al.
// 2023, eq. of optimistic ascent λ ← [λ + η(2gₖ − gₖ₋₁)]₊), determinism, and the raw-observation check.
import { describe, expect, it } from 'vitest';
import { envs, rl } from '../src/index.js';

const goalOf = (seed: number): Float32Array => {
  const env = envs.make('PointRobot-v0', { numEnvs: 1, seed });
  const g = env.getTasks();
  env.close();
  return g;
};

describe('PointRobot-v0 with one row: a fixed goal', () => {
  it('keeps its task across autoresets, and rewards exactly within 0.2 of it', () => {
    const env = envs.make('PointRobot-v0', { numEnvs: 1, seed: 3 });
    const goal = env.getTasks();
    expect(Math.hypot(goal[0]!, goal[1]!)).toBeCloseTo(1, 5);
    expect(goal[1]!).toBeGreaterThanOrEqual(0);
    let obs = env.reset().slice();
    let resets = 0;
    let hits = 0;
    // Walk straight at the goal (0.1 per axis at most), 250 steps: two autoresets at 100 and 200.
    for (let t = 0; t < 250; t++) {
      const a = new Float32Array([goal[0]! - obs[0]!, goal[1]! - obs[1]!]).map((v) => Math.max(-0.1, Math.min(0.1, v)));
      const r = env.step(a);
      const near = Math.hypot(r.finalObs[0]! - goal[0]!, r.finalObs[1]! - goal[1]!) <= 0.2;
      expect(r.reward[0]).toBe(near ? 1 : 0);
      hits += near ? 1 : 0;
      if (r.truncated[0]) resets++;
      obs = r.obs.slice();
    }
    expect(resets).toBe(2);
    expect(hits).toBeGreaterThan(200);
    expect(env.getTasks()).toEqual(goal);
    expect(goalOf(3)).toEqual(goal);
    expect(goalOf(4)).not.toEqual(goal);
    env.close();
  });

  it('the hazard halfway to the goal costs the straight walker the steps it starts inside the disc', () => {
    const goal = goalOf(1);
    const cost = rl.costs.hazard({ center: new Float32Array([goal[0]! / 2, goal[1]! / 2]), radius: 0.3 });
    let x = 0;
    let y = 0;
    let total = 0;
    let expected = 0;
    for (let t = 0; t < 20; t++) {
      total += cost(new Float32Array([x, y]), new Float32Array(2));
      if (Math.hypot(x - goal[0]! / 2, y - goal[1]! / 2) < 0.3) expected++;
      x += Math.max(-0.1, Math.min(0.1, goal[0]! - x));
      y += Math.max(-0.1, Math.min(0.1, goal[1]! - y));
    }
    expect(total).toBe(expected);
    expect(total).toBeGreaterThanOrEqual(4); // the unconstrained shortest path pays
  });
});

describe('Lagrangian PPO on the fixed-goal point robot', () => {
  const goal = goalOf(2);
  const cost = rl.costs.hazard({ center: new Float32Array([goal[0]! / 2, goal[1]! / 2]), radius: 0.3 });
  const limit = 0.01;
  const eta = 5;
  const train = (lagrangian: 'gda' | 'reload') =>
    rl.ppo.train({
      env: 'PointRobot-v0',
      totalSteps: 6 * 256,
      numEnvs: 1,
      numSteps: 256,
      numMinibatches: 4,
      updateEpochs: 2,
      normalizeObs: false,
      seed: 2,
      constraints: [{ cost, limit }],
      lagrangian,
      dualLr: eta,
    });

  it('λ follows [λ + η gₖ]₊ (gda) and [λ + η(2gₖ − gₖ₋₁)]₊ (reload) on the reported costs; same seed, same run', async () => {
    for (const method of ['gda', 'reload'] as const) {
      const r = await train(method);
      const L = r.lagrangian!;
      expect(L.length).toBe(6);
      const g = L.map((s) => s.costs[0]! - limit);
      expect(L[0]!.multipliers[0]).toBe(0);
      let sawOptimism = false;
      for (let k = 0; k + 1 < L.length; k++) {
        const prev = k === 0 ? g[0]! : g[k - 1]!;
        const plain = Math.max(0, L[k]!.multipliers[0]! + eta * g[k]!);
        const want = method === 'gda' ? plain : Math.max(0, L[k]!.multipliers[0]! + eta * (2 * g[k]! - prev));
        expect(L[k + 1]!.multipliers[0]).toBeCloseTo(want, 10);
        // The wrong variant (plain ascent for reload) differs wherever the slack moved.
        if (method === 'reload' && Math.abs(want - plain) > 1e-6) sawOptimism = true;
      }
      if (method === 'reload') expect(sawOptimism).toBe(true);
      const again = await train(method);
      expect(again.lagrangian).toEqual(L);
    }
  });

  it('rejects observation normalization (costs read raw positions), naming the option', async () => {
    await expect(
      rl.ppo.train({
        env: 'PointRobot-v0',
        totalSteps: 256,
        numEnvs: 1,
        numSteps: 256,
        constraints: [{ cost, limit }],
      }),
    ).rejects.toThrow(/normalizeObs/);
  });
});
