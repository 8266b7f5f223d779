// learned.discoverPolicyObjective: OpenAI-ES over an LPO drift's θ with PPO runs as fitness.
// Deterministic per seed, the same on worker threads as in process; the ES wiring (per-env rank
// aggregation, antithetic pairs, maximizing) moves θ towards a known optimum of a toy fitness.
import { describe, expect, it } from 'vitest';
import { learned } from '../src/index.js';
import { discoverWith, type InnerRun } from '../src/learned/discover.js';

const tiny = {
  envs: ['CartPole-v1'],
  hidden: [4],
  population: 4,
  generations: 2,
  stepsPerRun: 512,
  seed: 5,
  ppo: { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2 },
} as const;

describe('learned.discoverPolicyObjective', () => {
  it('is deterministic per seed, and threads give the same result as in process', async () => {
    const seen: number[] = [];
    const a = await learned.discoverPolicyObjective({ ...tiny, onProgress: (e) => void seen.push(e.generation) });
    const b = await learned.discoverPolicyObjective(tiny);
    expect(seen).toEqual([1, 2]);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(a.history.map((h) => h.meanReturn)).toEqual(b.history.map((h) => h.meanReturn));
    expect(a.theta.length).toBe(a.net.size);
    const t = await learned.discoverPolicyObjective({ ...tiny, threads: 2 });
    expect(Array.from(t.theta)).toEqual(Array.from(a.theta));
    expect(t.history.map((h) => h.maxReturn)).toEqual(a.history.map((h) => h.maxReturn));
    const other = await learned.discoverPolicyObjective({ ...tiny, seed: 6 });
    expect(Array.from(other.theta)).not.toEqual(Array.from(a.theta));
  }, 30_000);

  it('moves θ towards the optimum of a toy fitness, ranked per env and averaged', async () => {
    // Two "envs" on different scales, both maximized at θ*: the mean must approach θ*.
    const net = learned.driftFunction({ hidden: [4] });
    const target = net.init(9);
    const theta0 = new Float32Array(net.size);
    const dist = (t: Float32Array) => Math.sqrt(t.reduce((s, x, i) => s + (x - (target[i] as number)) ** 2, 0));
    const toy = async (runs: readonly InnerRun[]) =>
      runs.map((r) => (r.env === 'A' ? -1000 : -0.001) * dist(r.theta) ** 2);
    const r = await discoverWith(
      { envs: ['A', 'B'], hidden: [4], theta0, population: 16, generations: 30, sigma: 0.05, lr: 0.05, seed: 1 },
      toy,
    );
    expect(dist(r.theta)).toBeLessThan(0.5 * dist(theta0));
    // a fitness that prefers the opposite direction moves the mean away
    const away = await discoverWith(
      { envs: ['A'], hidden: [4], theta0, population: 16, generations: 5, sigma: 0.05, lr: 0.05, seed: 1 },
      async (runs) => runs.map((x) => dist(x.theta)),
    );
    expect(dist(away.theta)).toBeGreaterThan(dist(theta0));
  });

  it('rejects bad options by name', async () => {
    await expect(learned.discoverPolicyObjective({ ...tiny, population: 3 })).rejects.toThrow(
      /population: expected an even/,
    );
    await expect(learned.discoverPolicyObjective({ ...tiny, envs: [] })).rejects.toThrow(/envs/);
    await expect(learned.discoverPolicyObjective({ ...tiny, theta0: new Float32Array(2) })).rejects.toThrow(/theta0/);
    await expect(learned.discoverPolicyObjective({ ...tiny, generations: 0 })).rejects.toThrow(/generations/);
  });
});
