// Meta-RL task families: task distributions (range and moments), task dynamics with hand-set
// tasks, and tasks sticking across autoresets, per backend.
import { describe, expect, it } from 'vitest';
import * as envs from '../src/envs/index.js';
import * as random from '../src/random/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

function moments(xs: ArrayLike<number>, stride = 1, offset = 0): { mean: number; variance: number; count: number } {
  let s = 0;
  let s2 = 0;
  let count = 0;
  for (let i = offset; i < xs.length; i += stride) {
    const v = xs[i] as number;
    s += v;
    s2 += v * v;
    count++;
  }
  const mean = s / count;
  return { mean, variance: s2 / count - mean * mean, count };
}

describe.each(backends)('meta-RL envs (%s backend)', (name) => {
  useBackendForSuite(name);

  it('Bandit-v0 arm probabilities are U[0, 1]', () => {
    const env = envs.make('Bandit-v0', { arms: 10 });
    const tasks = env.sampleTasks(random.key(1), 20_000);
    expect(tasks.length).toBe(200_000);
    expect(tasks.every((p) => p >= 0 && p < 1)).toBe(true);
    const m = moments(tasks);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
  });

  it('Navigation2D-v0 goals are U[-0.5, 0.5]^2', () => {
    const env = envs.make('Navigation2D-v0');
    const g = env.sampleTasks(random.key(2), 50_000);
    expect(g.every((v) => v >= -0.5 && v < 0.5)).toBe(true);
    for (const c of [0, 1]) {
      const m = moments(g, 2, c);
      expect(Math.abs(m.mean)).toBeLessThan(0.01);
      expect(m.variance).toBeCloseTo(1 / 12, 2);
    }
  });

  it('PointRobot-v0 goals lie on the upper unit half circle with uniform angle', () => {
    const env = envs.make('PointRobot-v0');
    const g = env.sampleTasks(random.key(3), 50_000);
    const angles: number[] = [];
    let radiusErr = 0;
    let minY = 1;
    for (let j = 0; j < 50_000; j++) {
      const x = g[2 * j] as number;
      const y = g[2 * j + 1] as number;
      radiusErr = Math.max(radiusErr, Math.abs(Math.hypot(x, y) - 1));
      minY = Math.min(minY, y);
      angles.push(Math.atan2(y, x));
    }
    expect(radiusErr).toBeLessThan(1e-6);
    expect(minY).toBeGreaterThanOrEqual(-1e-7);
    const m = moments(angles);
    expect(m.mean).toBeCloseTo(Math.PI / 2, 1);
    expect(m.variance).toBeCloseTo((Math.PI * Math.PI) / 12, 1);
  });

  it('TabularMDP-v0 tasks: Dirichlet(1) transition rows and N(1, 1) mean rewards', () => {
    const env = envs.make('TabularMDP-v0');
    expect(env.taskDim).toBe(10 * 5 * 10 + 50);
    const n = 400;
    const t = env.sampleTasks(random.key(4), n);
    const probs: number[] = [];
    const means: number[] = [];
    let minP = 1;
    let worstSum = 0;
    for (let j = 0; j < n; j++) {
      const base = j * 550;
      for (let sa = 0; sa < 50; sa++) {
        let total = 0;
        for (let s = 0; s < 10; s++) {
          const p = t[base + sa * 10 + s] as number;
          minP = Math.min(minP, p);
          total += p;
          probs.push(p);
        }
        worstSum = Math.max(worstSum, Math.abs(total - 1));
      }
      for (let k = 500; k < 550; k++) means.push(t[base + k] as number);
    }
    expect(minP).toBeGreaterThanOrEqual(0);
    expect(worstSum).toBeLessThan(1e-5);
    // Dirichlet(1) in 10 dims: each entry ~ Beta(1, 9): mean 0.1, variance 9 / (100 * 11)
    const mp = moments(probs);
    expect(mp.mean).toBeCloseTo(0.1, 4);
    expect(mp.variance).toBeCloseTo(9 / 1100, 3);
    const mr = moments(means);
    expect(mr.mean).toBeCloseTo(1, 1);
    expect(mr.variance).toBeCloseTo(1, 1);
  });

  it('Bandit-v0 pays by the arm probabilities, shows the last action and reward, ends at the horizon', () => {
    const env = envs.make('Bandit-v0', { numEnvs: 2, arms: 3, pulls: 4 });
    expect(env.obs).toEqual(new Float32Array(8));
    env.setTasks(Float32Array.from([0, 1, 0.5, 1, 0, 0.5]));
    let r = env.step(new Int32Array([1, 1]));
    expect([...r.reward]).toEqual([1, 0]);
    expect([...r.obs]).toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
    r = env.step(new Int32Array([0, 0]));
    expect([...r.reward]).toEqual([0, 1]);
    env.step(new Int32Array([2, 2]));
    r = env.step(new Int32Array([2, 2]));
    expect([...r.terminated]).toEqual([1, 1]);
    expect([...r.truncated]).toEqual([0, 0]);
    expect(r.obs).toEqual(new Float32Array(8)); // a new trial
    expect(r.finalObs[2]).toBe(1);
    // a p = 0.3 arm pays about 30% of the time, and the task survives autoresets
    const many = envs.make('Bandit-v0', { numEnvs: 1000, arms: 2, pulls: 3, seed: 9 });
    many.setTasks(new Float32Array(2000).fill(0.3));
    let wins = 0;
    for (let t = 0; t < 30; t++) wins += moments(many.step(new Int32Array(1000)).reward).mean;
    expect(wins / 30).toBeCloseTo(0.3, 1);
    expect(many.getTasks().every((p) => Math.abs(p - 0.3) < 1e-7)).toBe(true);
  });

  it('TabularMDP-v0 follows the transition table, starts in state 0 and adds N(0, 1) reward noise', () => {
    const S = 3;
    const A = 2;
    const env = envs.make('TabularMDP-v0', { numEnvs: 4000, states: S, actions: A, horizon: 2, seed: 1 });
    const task = new Float32Array(S * A * S + S * A);
    // deterministic: action 0 -> state 1, action 1 -> state 2 (from every state)
    for (let s = 0; s < S; s++) {
      task[(s * A + 0) * S + 1] = 1;
      task[(s * A + 1) * S + 2] = 1;
    }
    for (let k = 0; k < S * A; k++) task[S * A * S + k] = k; // R[s][a] = s * A + a
    const tasks = new Float32Array(4000 * task.length);
    for (let i = 0; i < 4000; i++) tasks.set(task, i * task.length);
    env.setTasks(tasks);
    expect([...env.obs.subarray(0, 3)]).toEqual([1, 0, 0]);
    const r = env.step(new Int32Array(4000).fill(1)); // from state 0 with action 1: R = 1
    expect([...r.obs.subarray(0, 3)]).toEqual([0, 0, 1]);
    const m = moments(r.reward);
    expect(m.mean).toBeCloseTo(1, 1);
    expect(m.variance).toBeCloseTo(1, 1);
    const r2 = env.step(new Int32Array(4000).fill(0)); // from state 2 with action 0: R = 4, horizon ends
    expect(moments(r2.reward).mean).toBeCloseTo(4, 1);
    expect(r2.terminated.every((v) => v === 1)).toBe(true);
    expect([...r2.finalObs.subarray(0, 3)]).toEqual([0, 1, 0]);
    expect([...r2.obs.subarray(0, 3)]).toEqual([1, 0, 0]);
  });

  it('Navigation2D-v0 clips velocities, pays minus the distance and terminates at the goal', () => {
    const env = envs.make('Navigation2D-v0', { numEnvs: 2 });
    env.setTasks(Float32Array.from([0.3, -0.4, 0.05, 0.005]));
    let r = env.step(Float32Array.from([1, -1, 0.05, 0.005]));
    expect(r.obs[0]).toBeCloseTo(0.1, 7);
    expect(r.obs[1]).toBeCloseTo(-0.1, 7);
    expect(r.reward[0]).toBeCloseTo(-Math.hypot(0.2, 0.3), 6);
    expect([...r.terminated]).toEqual([0, 1]);
    expect([...r.obs.subarray(2, 4)]).toEqual([0, 0]); // reset to the origin
    for (let t = 0; t < 99; t++) r = env.step(Float32Array.from([0, 0, 0, 0]));
    expect(r.truncated[0]).toBe(1);
  });

  it('PointRobot-v0 pays 1 inside the goal radius (sparse) or minus the distance (dense)', () => {
    for (const dense of [false, true]) {
      const env = envs.make('PointRobot-v0', { numEnvs: 2, dense });
      env.setTasks(Float32Array.from([0, 1, 1, 0]));
      const rewards: number[][] = [];
      for (let t = 0; t < 9; t++) rewards.push([...env.step(Float32Array.from([0, 0.1, 0, 0])).reward]);
      // row 0 reaches y = 0.8 (distance 0.2) at step 8
      if (dense) {
        expect(rewards[0]![0]).toBeCloseTo(-0.9, 6);
        expect(rewards[0]![1]).toBeCloseTo(-1, 6);
      } else {
        expect(rewards.map((r) => r[0])).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]);
        expect(rewards.every((r) => r[1] === 0)).toBe(true);
      }
    }
  });

  it('tasks stick across autoresets, take effect without a reset, and are validated', () => {
    const env = envs.make('Navigation2D-v0', { numEnvs: 3, maxEpisodeSteps: 2, seed: 4 });
    const initial = env.getTasks();
    expect(initial.length).toBe(6);
    for (let t = 0; t < 7; t++) env.step(new Float32Array(6));
    expect(env.getTasks()).toEqual(initial);
    const again = envs.make('Navigation2D-v0', { numEnvs: 3, seed: 4 });
    expect(again.getTasks()).toEqual(initial); // initial tasks come from the seed
    expect(() => env.setTasks(new Float32Array(4))).toThrow(/tasks: expected length 6/);
    expect(() => env.setTasks(Float32Array.from([0, 0, Number.NaN, 0, 0, 0]))).toThrow(/tasks\[2\]/);
    const b = envs.make('Bandit-v0', { arms: 2 });
    expect(() => b.setTasks(Float32Array.from([0.5, 1.5]))).toThrow(/probability/);
    const m = envs.make('TabularMDP-v0', { states: 2, actions: 1 });
    expect(() => m.setTasks(Float32Array.from([0.5, 0.4, 0.5, 0.5, 0, 0]))).toThrow(/sums to/);
    expect(envs.make('CartPole-v1').sampleTasks(random.key(0), 5).length).toBe(0);
  });
});
