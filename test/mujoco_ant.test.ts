// Ant envs (src/envs/mujoco): Ant-v5 (Gymnasium), AntDir-v0 (pytorch-maml-rl AntDir-v2) and
// AntGoal-v0 (PEARL's ant-goal). The rewards are checked against the sources' formulas written out
// here from observables: AntGoal observes the whole qpos, so its x, y give the other families'
// Δx/dt on the same motion (same model, seed and actions); the contact part of the observation is
// clip(cfrc_ext, −1, 1) of bodies 1…13, whose squares are the contact cost (the world body's is 0).
// A variant that skipped mj_rnePostConstraint (MuJoCo ≥ 2.0 leaves cfrc_ext unset after mj_step, gym #1541)
// fails the contact test; one that charged survive/healthy bonuses differently fails the rewards.
import { describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { makeMujoco } from '../src/envs/index.js';
import { OuterloopError } from '../src/errors.js';
import { key, uniform } from '../src/random/index.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

const ACT = 8;
const QPOS = 15;
const QVEL = 14;
const DT = 0.05;
// Fixed pseudo-random torques in [-1, 1].
function actions(n: number, t: number, scale = 1): Float32Array {
  return Float32Array.from(uniform(key(2000 + t), n * ACT), (u) => scale * (2 * u - 1));
}
function run(id: string, opts: Parameters<typeof makeMujoco>[1], steps: number, tasks?: Float32Array, scale = 1) {
  const env = makeMujoco(id, opts);
  if (tasks) env.setTasks(tasks);
  const obs: Float32Array[] = [env.obs.slice()];
  const rew: Float32Array[] = [];
  const term: Uint8Array[] = [];
  for (let t = 0; t < steps; t++) {
    const r = env.stepCopy(actions(env.numEnvs, t, scale));
    obs.push(r.obs);
    rew.push(r.reward);
    term.push(r.terminated);
  }
  return { env, obs, rew, term };
}
const sumSq = (a: ArrayLike<number>, from: number, to: number): number => {
  let s = 0;
  for (let j = from; j < to; j++) s += (a[j] as number) ** 2;
  return s;
};

describe.skipIf(mujocoSkipReason !== null)('MuJoCo Ant envs', () => {
  it('spec facts: observation, action and task sizes, horizons, termination', () => {
    const v5 = makeMujoco('Ant-v5');
    const dir = makeMujoco('AntDir-v0');
    const goal = makeMujoco('AntGoal-v0');
    // qpos[2:] 13 + qvel 14 + 13 bodies × 6 contact forces = 105 (Gymnasium Ant-v5); AntGoal adds x, y.
    expect([v5.obsDim, dir.obsDim, goal.obsDim]).toEqual([105, 105, 107]);
    expect([v5.actionDim, dir.actionDim, goal.actionDim]).toEqual([8, 8, 8]);
    expect([v5.taskDim, dir.taskDim, goal.taskDim]).toEqual([0, 1, 2]);
    expect([v5.spec.maxEpisodeSteps, dir.spec.maxEpisodeSteps, goal.spec.maxEpisodeSteps]).toEqual([1000, 100, 200]);
    expect(v5.spec.healthyZ).toEqual([0.2, 1]);
    expect(goal.spec.healthyZ).toBeNull();
    expect(v5.facts.bodyNames.length).toBe(14);
    expect(v5.facts.timestep * v5.spec.frameSkip).toBeCloseTo(DT, 12);
    // Reset: qpos0 + U[-0.1, 0.1] (torso at 0.75), no contact forces yet.
    const o = goal.obs;
    expect(Math.abs((o[2] as number) - 0.75)).toBeLessThanOrEqual(0.1);
    expect(sumSq(o, QPOS + QVEL, 107)).toBe(0);
  });

  it('is deterministic per seed, differs across seeds, and does not depend on the thread count', () => {
    const before = backend.threads();
    try {
      backend.threads(1);
      const a = run('AntGoal-v0', { numEnvs: 3, seed: 5 }, 25);
      backend.threads(2);
      const b = run('AntGoal-v0', { numEnvs: 3, seed: 5 }, 25);
      const c = run('AntGoal-v0', { numEnvs: 3, seed: 6 }, 25);
      expect(b.obs).toEqual(a.obs);
      expect(b.rew).toEqual(a.rew);
      expect(b.env.getTasks()).toEqual(a.env.getTasks());
      expect(c.obs[25]).not.toEqual(a.obs[25]);
      expect(c.env.getTasks()).not.toEqual(a.env.getTasks());
    } finally {
      backend.threads(before);
    }
  });

  it('computes the contact forces after each step (zero in the air, non-zero once the feet land)', () => {
    const env = makeMujoco('Ant-v5', { seed: 1 });
    const zero = new Float32Array(ACT);
    let landed = false;
    for (let t = 0; t < 30 && !landed; t++) landed = sumSq(env.step(zero).obs, 27, 105) > 0;
    expect(landed).toBe(true);
    // Clipped to [-1, 1].
    for (let t = 0; t < 20; t++)
      for (const v of env.step(actions(1, t)).obs.subarray(27)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('rewards the same motion by each family’s formula (tasks do not change the dynamics)', () => {
    const n = 4;
    const steps = 20;
    const dirs = Float32Array.from([1, -1, -1, 1]);
    const goals = Float32Array.from([1, 0, -2, 1, 0.5, -0.5, 0, 3]);
    // Small torques: no row leaves the healthy range in these steps (checked below).
    const g = run('AntGoal-v0', { numEnvs: n, seed: 3 }, steps, goals, 0.5);
    const v5 = run('Ant-v5', { numEnvs: n, seed: 3 }, steps, undefined, 0.5);
    const d = run('AntDir-v0', { numEnvs: n, seed: 3 }, steps, dirs, 0.5);
    for (let t = 0; t < steps; t++) {
      const a = actions(n, t, 0.5);
      for (let i = 0; i < n; i++) {
        const o = g.obs[t + 1] as Float32Array;
        const prev = g.obs[t] as Float32Array;
        const row = i * 107;
        // The other families observe AntGoal's observation without x, y.
        expect(v5.obs[t + 1]?.subarray(i * 105, (i + 1) * 105)).toEqual(o.subarray(row + 2, row + 107));
        expect(v5.term[t]?.[i]).toBe(0);
        const x = o[row] as number;
        const y = o[row + 1] as number;
        const vx = (x - (prev[row] as number)) / DT;
        const a2 = sumSq(a, i * ACT, (i + 1) * ACT);
        const c2 = sumSq(o, row + QPOS + QVEL, row + 107);
        // PEARL ant-goal: −‖xy − goal‖₁ − 0.1‖a‖² − 5e-4‖clip(cfrc_ext)‖².
        const goal = -Math.abs(x - (goals[2 * i] as number)) - Math.abs(y - (goals[2 * i + 1] as number));
        expect(g.rew[t]?.[i]).toBeCloseTo(goal - 0.1 * a2 - 5e-4 * c2, 4);
        // Gymnasium Ant-v5: v + 1 (healthy) − 0.5‖a‖² − 5e-4‖clip(cfrc_ext)‖².
        expect(v5.rew[t]?.[i]).toBeCloseTo(vx + 1 - 0.5 * a2 - 5e-4 * c2, 3);
        // pytorch-maml-rl AntDir: d·v − 0.005‖a‖² − 5e-4‖clip(cfrc_ext)‖² + 0.05.
        expect(d.rew[t]?.[i]).toBeCloseTo((dirs[i] as number) * vx - 0.005 * a2 - 5e-4 * c2 + 0.05, 3);
      }
    }
  });

  it('terminates exactly when the torso leaves [0.2, 1] (AntDir, Ant-v5), never for AntGoal', () => {
    const n = 8;
    const steps = 60;
    const g = run('AntGoal-v0', { numEnvs: n, seed: 0 }, steps);
    const d = run('AntDir-v0', { numEnvs: n, seed: 0 }, steps);
    const v5 = run('Ant-v5', { numEnvs: n, seed: 0 }, steps);
    let seen = 0;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < steps; t++) {
        const o = g.obs[t + 1] as Float32Array;
        const z = o[i * 107 + 2] as number;
        const out = z < 0.2 || z > 1 ? 1 : 0;
        expect(d.term[t]?.[i]).toBe(out);
        expect(v5.term[t]?.[i]).toBe(out);
        expect(g.term[t]?.[i]).toBe(0);
        if (out) {
          seen++;
          // Ant-v5 pays the healthy reward only while healthy: none on the terminal step.
          const vx = ((o[i * 107] as number) - (g.obs[t]?.[i * 107] as number)) / DT;
          const a2 = sumSq(actions(n, t), i * ACT, (i + 1) * ACT);
          const c2 = sumSq(o, i * 107 + QPOS + QVEL, (i + 1) * 107);
          expect(v5.rew[t]?.[i]).toBeCloseTo(vx - 0.5 * a2 - 5e-4 * c2, 3);
          // The reset in the same step: the row starts again near the reference pose.
          expect(Math.abs((v5.obs[t + 1]?.[i * 105] as number) - 0.75)).toBeLessThanOrEqual(0.1);
          break; // the rows restart here; the trajectories part.
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('a per-row task changes only its row’s rewards', () => {
    const goals = Float32Array.from([1, 1, -1, 2, 0, -3, 2.5, 0]);
    const a = run('AntGoal-v0', { numEnvs: 4, seed: 9 }, 10, goals);
    const changed = goals.slice();
    changed[3] = -2; // row 1's y
    const b = run('AntGoal-v0', { numEnvs: 4, seed: 9 }, 10, changed);
    const dirs = Float32Array.from([1, 1, -1, -1]);
    const c = run('AntDir-v0', { numEnvs: 4, seed: 9 }, 10, dirs);
    const flipped = Float32Array.from([1, 1, 1, -1]);
    const e = run('AntDir-v0', { numEnvs: 4, seed: 9 }, 10, flipped);
    for (let t = 0; t < 10; t++) {
      expect(b.obs[t + 1]).toEqual(a.obs[t + 1]);
      expect(e.obs[t + 1]).toEqual(c.obs[t + 1]);
      for (const i of [0, 2, 3]) expect(b.rew[t]?.[i]).toBe(a.rew[t]?.[i]);
      for (const i of [0, 1, 3]) expect(e.rew[t]?.[i]).toBe(c.rew[t]?.[i]);
    }
    expect(b.rew.some((r, t) => r[1] !== a.rew[t]?.[1])).toBe(true);
    expect(e.rew.some((r, t) => r[2] !== c.rew[t]?.[2])).toBe(true);
  });

  it('samples AntGoal goals uniformly on the disk of radius 3 and AntDir directions ±1', () => {
    const env = makeMujoco('AntGoal-v0');
    const g = env.sampleTasks(key(11), 4000);
    expect(g.length).toBe(8000);
    let r2 = 0;
    let right = 0;
    for (let j = 0; j < 4000; j++) {
      const x = g[2 * j] as number;
      const y = g[2 * j + 1] as number;
      expect(x * x + y * y).toBeLessThanOrEqual(9 + 1e-5);
      r2 += x * x + y * y;
      right += x > 0 ? 1 : 0;
    }
    // Uniform on the disk: r² ~ U[0, 9], mean 4.5 (a radius ~ U[0, 3] would give 3); half on each side.
    expect(r2 / 4000).toBeGreaterThan(4.3);
    expect(r2 / 4000).toBeLessThan(4.7);
    expect(right / 4000).toBeGreaterThan(0.46);
    expect(right / 4000).toBeLessThan(0.54);
    expect(env.sampleTasks(key(11), 5)).toEqual(g.subarray(0, 10));
    const d = makeMujoco('AntDir-v0').sampleTasks(key(11), 1000);
    expect(d.every((v) => v === 1 || v === -1)).toBe(true);
  });

  it('rejects bad tasks and actions naming them; closed envs throw', () => {
    const env = makeMujoco('AntGoal-v0', { numEnvs: 2 });
    expect(() => env.setTasks(Float32Array.from([0, 1, Number.NaN, 0]))).toThrow(/tasks\[2\]/);
    expect(() => env.setTasks(new Float32Array(3))).toThrow(RangeError);
    expect(() => makeMujoco('AntDir-v0', { numEnvs: 2 }).setTasks(Float32Array.from([1, 0]))).toThrow(/tasks\[1\]/);
    expect(() => env.step(new Float32Array(15))).toThrow(/actions/);
    expect(() => makeMujoco('AntGoal-v0', { variant: 'maml' })).toThrow(/variant/);
    env.close();
    expect(() => env.step(new Float32Array(16))).toThrow(OuterloopError);
  });

  it('fuzz: random ids, options, tasks and actions give a working env or an error naming the argument', () => {
    const ids = ['HalfCheetah-v5', 'HalfCheetahVel-v0', 'HalfCheetahDir-v0', 'Ant-v5', 'AntDir-v0', 'AntGoal-v0'];
    const u = uniform(key(77), 60 * 8);
    const pick = <T>(xs: readonly T[], v: number): T => xs[Math.floor(v * xs.length)] as T;
    const odd = [0, -1, 1.5, Number.NaN, 2 ** 31, 3];
    for (let c = 0; c < 40; c++) {
      const v = (k: number): number => u[c * 8 + k] as number;
      const id = pick(ids, v(0));
      const numEnvs = v(1) < 0.2 ? pick(odd, v(2)) : 1 + Math.floor(v(2) * 3);
      const seed = v(3) < 0.2 ? pick(odd, v(4)) : Math.floor(v(4) * 100);
      let env: ReturnType<typeof makeMujoco>;
      try {
        env = makeMujoco(id, { numEnvs, seed });
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        expect(String(e)).toMatch(/numEnvs|seed/);
        continue;
      }
      // Actions: extreme and infinite values are clamped by the engine; the state stays finite.
      const a = Float32Array.from(
        uniform(key(c), env.numEnvs * env.actionDim),
        (x) => (v(5) < 0.5 ? 1e30 : 3) * (2 * x - 1),
      );
      if (v(6) < 0.3) a[0] = Number.POSITIVE_INFINITY;
      for (let t = 0; t < 3; t++) {
        const r = env.step(a);
        for (const x of r.obs) expect(Number.isFinite(x)).toBe(true);
      }
      if (env.taskDim > 0) {
        const tasks = env.sampleTasks(key(c));
        tasks[0] = v(7) < 0.5 ? Number.NaN : (tasks[0] as number);
        if (Number.isNaN(tasks[0])) expect(() => env.setTasks(tasks)).toThrow(/tasks\[0\]/);
        else env.setTasks(tasks);
      }
    }
  });
});
