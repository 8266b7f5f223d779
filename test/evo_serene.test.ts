// evo.pointMaze (hand-computed trajectories against the walls) and evo.serene (Paolo et al. 2021,
// after GPaolo/SERENE; reference §6.3): Pareto front by hand, the reference's two-area dummy task
// (the reward archive ends with solutions in both areas), budget accounting, determinism, errors.
import { describe, expect, it } from 'vitest';
import { evo } from '../src/index.js';

/** A linear maze policy (hidden 0) with constant velocity direction tanh(b). */
const constant = (bx: number, by: number) => new Float32Array([0, 0, 0, 0, bx, by]);

describe('evo.pointMaze', () => {
  const maze = evo.pointMaze({ hidden: 0 });

  it('a zero policy stays at the start; straight up stops under the cup ceiling (the deceptive trap)', () => {
    expect(maze.run(constant(0, 0))).toMatchObject({ x: 0.5, y: 0.15, reward: 0 });
    // tanh(100) = 1: 0.03 per step from y = 0.15; the step reaching y = 0.6 crosses the ceiling and is cancelled.
    const up = maze.run(constant(0, 100));
    expect(up.x).toBe(0.5);
    expect(up.y).toBeGreaterThan(0.56);
    expect(up.y).toBeLessThan(0.6);
    expect(up.distance).toBeCloseTo(0.85 - up.y, 12);
    expect(up.reward).toBe(0);
  });

  it('diagonal up-right stops at the right wall (x 0.83) and under the ceiling', () => {
    const o = maze.run(constant(100, 100));
    expect(o.x).toBeCloseTo(0.83, 12);
    expect(o.y).toBeGreaterThan(0.56);
    expect(o.y).toBeLessThan(0.6);
  });

  it('runBatch returns the rows of run; no reward outside the goal disc', () => {
    const m = evo.pointMaze({ hidden: 0, steps: 1 });
    const o = m.run(constant(0, 0));
    expect(o.reward).toBe(0);
    expect(m.goalRadius).toBe(0.08);
    const b = maze.runBatch(new Float32Array([...constant(0, 0), ...constant(0, 100)]));
    expect(Array.from(b.descriptors.subarray(0, 2))).toEqual([0.5, Math.fround(0.15)]);
    expect(Array.from(b.rewards)).toEqual([0, 0]);
  });

  it('rejects bad input naming it', () => {
    expect(() => evo.pointMaze({ hidden: -1 })).toThrow(/hidden/);
    expect(() => maze.run(new Float32Array(5))).toThrow(/params/);
    expect(() => maze.runBatch(new Float32Array(7))).toThrow(/multiple of dim/);
  });
});

describe('evo.serene', () => {
  it('paretoFront keeps the non-dominated points (maximizing both)', () => {
    expect(evo.paretoFront([1, 2, 3, 2, 0], [3, 2, 1, 1, 3])).toEqual([0, 1, 2]);
    expect(evo.paretoFront([1, 1], [1, 1])).toEqual([0, 1]);
  });

  // Two disjoint reward discs in a 2-D genome space (descriptor = genome), as in the reference's test.
  const areas = [
    [3, 3],
    [-3, -3],
  ] as const;
  const evaluate = (g: Float32Array) => {
    const n = g.length / 2;
    const rewards = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (const [cx, cy] of areas) {
        const d = Math.hypot((g[2 * i] as number) - cx, (g[2 * i + 1] as number) - cy);
        if (d < 0.5) rewards[i] = (0.5 - d) / 0.5;
      }
    return { rewards, descriptors: g.slice() };
  };
  const base = { dim: 2, descriptorDim: 2, evaluate, budget: 12_000, popSize: 30, sigma: 0.3, chunkSize: 600 };

  it('finds both reward areas, emitters improving on what NS found, within the budget', () => {
    const r = evo.serene({ ...base, seed: 1 });
    expect(r.evaluations).toBeLessThanOrEqual(12_000);
    expect(r.emittersPromoted).toBeGreaterThan(0);
    const near = (c: readonly number[]) =>
      r.rewardArchive.rewards.some(
        (_, i) =>
          Math.hypot(
            (r.rewardArchive.descriptors[2 * i] as number) - (c[0] as number),
            (r.rewardArchive.descriptors[2 * i + 1] as number) - (c[1] as number),
          ) < 0.5,
      );
    expect(near(areas[0])).toBe(true);
    expect(near(areas[1])).toBe(true);
    expect(r.bestReward).toBeGreaterThan(0.9);
  });

  it('is deterministic per seed; emitters: false is plain novelty search (no reward archive)', () => {
    const a = evo.serene({ ...base, budget: 3000, seed: 2 });
    const b = evo.serene({ ...base, budget: 3000, seed: 2 });
    expect(b).toEqual(a);
    const ns = evo.serene({ ...base, budget: 3000, seed: 2, emitters: false });
    expect(ns.rewardArchive.rewards).toEqual([]);
    expect(ns.archive.length).toBeGreaterThan(0);
  });

  it('rejects bad options naming them', () => {
    expect(() => evo.serene({ ...base, budget: 10 })).toThrow(/budget/);
    expect(() => evo.serene({ ...base, bounds: [1, 0] })).toThrow(/bounds/);
    expect(() => evo.serene({ ...base, evaluate: 3 as never })).toThrow(/evaluate/);
    expect(() => evo.serene({ ...base, bogus: 1 } as typeof base)).toThrow(/bogus/);
    expect(() => evo.serene({ ...base, evaluate: () => ({ rewards: [], descriptors: new Float32Array(0) }) })).toThrow(
      /evaluate: expected/,
    );
  });
});
