// Bandit-v0 with Gaussian arms (issue 15): task μ_j ~ N(0, 1), rewards ~ N(μ_a, 1); the same
// row stream gives the same noise whatever the task, native and js agree bit for bit.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import * as envs from '../src/envs/index.js';
import { jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i] as number;
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += ((x[i] as number) - m) ** 2;
  return { mean: m, variance: v / (x.length - 1) };
}

describe('Bandit-v0 gaussian arms', () => {
  it('samples arm means from N(0, 1) and pays N(μ_a, 1)', () => {
    const env = envs.make('Bandit-v0', { numEnvs: 4000, arms: 2, pulls: 5, rewards: 'gaussian', seed: 3 });
    const tasks = env.getTasks();
    const m = moments(tasks);
    expect(Math.abs(m.mean)).toBeLessThan(0.05);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.07);
    // rewards minus the pulled arm's mean are N(0, 1) (a Bernoulli twin would give {0, 1})
    const noise: number[] = [];
    for (let t = 0; t < 5; t++) {
      const r = env.step(new Int32Array(4000).fill(1)).reward;
      for (let i = 0; i < 4000; i++) noise.push((r[i] as number) - (tasks[2 * i + 1] as number));
    }
    const z = moments(noise);
    expect(Math.abs(z.mean)).toBeLessThan(0.03);
    expect(Math.abs(z.variance - 1)).toBeLessThan(0.05);
    expect(env.observationSpace.high[2]).toBeGreaterThan(1e30);
  });

  it('shows the last action and its reward, and the noise does not depend on the task', () => {
    const a = envs.make('Bandit-v0', { numEnvs: 1, arms: 3, pulls: 4, rewards: 'gaussian', seed: 11 });
    const b = envs.make('Bandit-v0', { numEnvs: 1, arms: 3, pulls: 4, rewards: 'gaussian', seed: 11 });
    a.setTasks(Float32Array.of(0, 0, 0));
    b.setTasks(Float32Array.of(0, 5, -2));
    for (const arm of [1, 2, 0, 1]) {
      const ra = a.step(Int32Array.of(arm));
      const rb = b.step(Int32Array.of(arm));
      const shift = [0, 5, -2][arm] as number;
      expect(rb.reward[0]).toBeCloseTo((ra.reward[0] as number) + shift, 5);
      expect(rb.finalObs[arm]).toBe(1);
      expect(rb.finalObs[3]).toBe(rb.reward[0]);
    }
  });

  it('rejects unknown reward kinds and non-finite means', () => {
    expect(() => envs.make('Bandit-v0', { rewards: 'poisson' as 'gaussian' })).toThrow(/options\.rewards/);
    const env = envs.make('Bandit-v0', { arms: 2, rewards: 'gaussian' });
    expect(() => env.setTasks(Float32Array.of(0, Number.NaN))).toThrow(RangeError);
    expect(() => env.setTasks(Float32Array.of(-3, 7))).not.toThrow(); // means are not probabilities
  });
});

function run(b: Backend): Float32Array[] {
  const cfg = envs.make('Bandit-v0', { arms: 4, pulls: 7, rewards: 'gaussian' }).spec.config.slice();
  const n = 16;
  const tasks = new Float32Array(4 * n);
  b.envSampleTasks(cfg, new Uint32Array([5, 1]), tasks);
  const state = new Float32Array(2 * n);
  const elapsed = new Int32Array(n);
  const rng = new Uint32Array(4 * n);
  b.envSeed(new Uint32Array([5, 2]), rng);
  const obs = new Float32Array(5 * n);
  const fin = new Float32Array(5 * n);
  const reward = new Float32Array(n);
  const term = new Uint8Array(n);
  const trunc = new Uint8Array(n);
  b.envReset(cfg, state, tasks, elapsed, rng, obs);
  const out = [tasks.slice()];
  for (let s = 0; s < 30; s++) {
    b.envStep(
      cfg,
      state,
      tasks,
      elapsed,
      rng,
      Int32Array.from({ length: n }, (_, i) => (i + s) % 4),
      obs,
      reward,
      term,
      trunc,
      fin,
    );
    out.push(obs.slice(), reward.slice(), Float32Array.from(term));
  }
  return out;
}

describe.skipIf(!nativeBackend)(paritySuite('Bandit-v0 gaussian parity'), () => {
  it('native and js give the same tasks and trajectories bit for bit', () => {
    const a = run(nativeBackend as Backend);
    const b = run(jsBackend);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(a[i]).toEqual(b[i]);
  });
});
