// MuJoCo envs (src/envs/mujoco): determinism per seed and across thread counts, same-step
// autoreset, the reward of each family against its written-out formula (Gymnasium HalfCheetah-v5:
// v − 0.1‖a‖²; pytorch-maml-rl HalfCheetahVel: −|v − g| − 0.05‖a‖², HalfCheetahDir: d·v −
// 0.05‖a‖²), per-row tasks touching only their rows, the missing-engine error and bad inputs.
// Skips with a printed reason where no engine is available (js backend, no headers, no library).
import { afterEach, describe, expect, it } from 'vitest';
import { backend, getBackend } from '../src/backend/index.js';
import { makeMujoco, modelPath } from '../src/envs/index.js';
import { OuterloopError } from '../src/errors.js';
import { key, uniform } from '../src/random/index.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

const ACT = 6;
// Fixed pseudo-random torques in [-1.2, 1.2] (some outside the box, to exercise the clamp).
function actions(n: number, t: number): Float32Array {
  return Float32Array.from(uniform(key(1000 + t), n * ACT), (u) => 2.4 * u - 1.2);
}
function run(id: string, opts: Parameters<typeof makeMujoco>[1], steps: number, tasks?: Float32Array) {
  const env = makeMujoco(id, opts);
  if (tasks) env.setTasks(tasks);
  const n = env.numEnvs;
  const obs: Float32Array[] = [];
  const rew: Float32Array[] = [];
  for (let t = 0; t < steps; t++) {
    const r = env.stepCopy(actions(n, t));
    obs.push(r.obs);
    rew.push(r.reward);
  }
  return { env, obs, rew };
}
const sumSq = (a: Float32Array, i: number): number => {
  let s = 0;
  for (let j = 0; j < ACT; j++) s += (a[i * ACT + j] as number) ** 2;
  return s;
};

describe('MuJoCo envs without an engine', () => {
  const saved = process.env.OUTERLOOP_MUJOCO_LIB;
  afterEach(() => {
    if (saved === undefined) delete process.env.OUTERLOOP_MUJOCO_LIB;
    else process.env.OUTERLOOP_MUJOCO_LIB = saved;
  });

  it('throws an OuterloopError naming the install step when libmujoco cannot be loaded', () => {
    process.env.OUTERLOOP_MUJOCO_LIB = '/nonexistent/libmujoco.so.2.2.2';
    expect(() => makeMujoco('HalfCheetah-v5')).toThrow(OuterloopError);
    expect(() => makeMujoco('HalfCheetah-v5')).toThrow(/apt-get install libmujoco.*OUTERLOOP_MUJOCO_LIB/);
    if (getBackend().name === 'native') expect(() => makeMujoco('HalfCheetah-v5')).toThrow(/\/nonexistent\/libmujoco/);
    expect(backend.info().physics).toBeNull();
  });

  it('the js backend has no physics: its kernels throw the same advice', () => {
    if (getBackend().name !== 'js') return;
    expect(() => makeMujoco('HalfCheetahVel-v0')).toThrow(/npm run build:native/);
  });
});

describe('MuJoCo env options', () => {
  it('rejects bad ids and options before touching the engine', () => {
    expect(() => makeMujoco('HalfCheetah-v4')).toThrow(RangeError);
    expect(() => makeMujoco('HalfCheetahVel-v0', { variant: 'rl2' as 'maml' })).toThrow(/options.variant/);
    expect(() => makeMujoco('HalfCheetah-v5', { variant: 'maml' })).toThrow(/variant/);
    expect(() => makeMujoco('HalfCheetah-v5', { numEnvs: 0 })).toThrow(RangeError);
    expect(() => makeMujoco('HalfCheetah-v5', { maxEpisodeSteps: 0 })).toThrow(/maxEpisodeSteps/);
    expect(() => makeMujoco('HalfCheetah-v5', { seed: 1.5 })).toThrow(/seed/);
  });
});

describe.skipIf(mujocoSkipReason !== null)('MuJoCo envs', () => {
  it('backend.info() names the engine', () => {
    expect(backend.info().physics).toMatch(/^mujoco 2\.\d+\.\d+ \(native, dlopen\)$/);
  });

  it('HalfCheetah-v5: 17 observations, 6 torques, resets near the reference pose', () => {
    const env = makeMujoco('HalfCheetah-v5', { numEnvs: 3, seed: 4 });
    expect(env.obsDim).toBe(17);
    expect(env.actionDim).toBe(6);
    expect(env.taskDim).toBe(0);
    expect(env.engine).toMatch(/^mujoco /);
    // qpos[1:] ~ U[-0.1, 0.1]; qvel ~ 0.1·N(0, 1): not all zero, all small.
    for (let i = 0; i < 3; i++) {
      const row = env.obs.subarray(i * 17, (i + 1) * 17);
      for (let j = 0; j < 8; j++) expect(Math.abs(row[j] as number)).toBeLessThanOrEqual(0.1);
      expect(row.some((v) => v !== 0)).toBe(true);
    }
  });

  it('is deterministic per seed, differs across seeds, and does not depend on the thread count', () => {
    const before = backend.threads();
    try {
      backend.threads(1);
      const a = run('HalfCheetah-v5', { numEnvs: 5, seed: 7 }, 40);
      backend.threads(2);
      const b = run('HalfCheetah-v5', { numEnvs: 5, seed: 7 }, 40);
      const c = run('HalfCheetah-v5', { numEnvs: 5, seed: 8 }, 40);
      expect(b.obs).toEqual(a.obs);
      expect(b.rew).toEqual(a.rew);
      expect(c.obs[39]).not.toEqual(a.obs[39]);
      // A row's trajectory does not depend on how many rows share the batch.
      const one = run('HalfCheetah-v5', { numEnvs: 1, seed: 7 }, 1);
      expect(one.obs[0]).toEqual(a.obs[0]?.subarray(0, 17));
    } finally {
      backend.threads(before);
    }
  });

  it('truncates at the step limit and resets in the same step, keeping the last observation', () => {
    const env = makeMujoco('HalfCheetah-v5', { numEnvs: 2, seed: 1, maxEpisodeSteps: 3 });
    for (let t = 0; t < 2; t++) expect(Array.from(env.step(actions(2, t)).truncated)).toEqual([0, 0]);
    const r = env.step(actions(2, 2));
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(Array.from(r.terminated)).toEqual([0, 0]);
    expect(r.obs).not.toEqual(r.finalObs);
    for (let j = 0; j < 8; j++) expect(Math.abs(r.obs[j] as number)).toBeLessThanOrEqual(0.1);
    // A fresh episode: the next 2 steps are not truncated.
    expect(Array.from(env.step(actions(2, 3)).truncated)).toEqual([0, 0]);
    // Reset streams continue: the second episode's start differs from the first's.
    const first = makeMujoco('HalfCheetah-v5', { numEnvs: 2, seed: 1 }).obs;
    expect(r.obs).not.toEqual(first);
  });

  it('the task families reward the same motion by their formulas (tasks do not change the dynamics)', () => {
    const n = 4;
    const base = run('HalfCheetah-v5', { numEnvs: n, seed: 3 }, 20);
    const goals = Float32Array.from([0, 0.5, 1.25, 2]);
    const vel = run('HalfCheetahVel-v0', { numEnvs: n, seed: 3 }, 20, goals);
    const dirs = Float32Array.from([1, -1, -1, 1]);
    const dir = run('HalfCheetahDir-v0', { numEnvs: n, seed: 3 }, 20, dirs);
    for (let t = 0; t < 20; t++) {
      expect(vel.obs[t]).toEqual(base.obs[t]);
      expect(dir.obs[t]).toEqual(base.obs[t]);
      const a = actions(n, t);
      for (let i = 0; i < n; i++) {
        const a2 = sumSq(a, i);
        const v = (base.rew[t]?.[i] as number) + 0.1 * a2; // HalfCheetah-v5: r = v − 0.1‖a‖²
        expect(vel.rew[t]?.[i]).toBeCloseTo(-Math.abs(v - (goals[i] as number)) - 0.05 * a2, 4);
        expect(dir.rew[t]?.[i]).toBeCloseTo((dirs[i] as number) * v - 0.05 * a2, 4);
      }
    }
  });

  it('rewards the forward velocity Δx/dt over the 5 physics steps (dt 0.05 s), not the final qvel', () => {
    const env = makeMujoco('HalfCheetah-v5', { numEnvs: 1, seed: 2 });
    const start = env.obs.slice();
    const a = actions(1, 0);
    const r = env.step(a).reward[0] as number;
    // Replay the same step on a raw simulator from the same state (x is unobserved; the plane is
    // translation invariant, so x = 0 gives the same motion).
    const b = getBackend();
    const sim = b.mujocoOpen(modelPath('half_cheetah.xml'), 1);
    b.mujocoSetState(sim, 0, Float64Array.from([0, ...start.subarray(0, 8)]), Float64Array.from(start.subarray(8)));
    const qpos = new Float64Array(9);
    const qvel = new Float64Array(9);
    b.mujocoStep(
      sim,
      Float64Array.from(a, (x) => Math.min(1, Math.max(-1, x))),
      5,
      qpos,
      qvel,
    );
    const v = (qpos[0] as number) / 0.05;
    expect(r).toBeCloseTo(v - 0.1 * sumSq(a, 0), 4);
    expect(Math.abs(v - (qvel[0] as number))).toBeGreaterThan(1e-3);
  });

  it('a per-row task changes only its row’s rewards', () => {
    const goals = Float32Array.from([0.5, 1, 1.5, 2]);
    const a = run('HalfCheetahVel-v0', { numEnvs: 4, seed: 9 }, 15, goals);
    const changed = goals.slice();
    changed[2] = 0.1;
    const b = run('HalfCheetahVel-v0', { numEnvs: 4, seed: 9 }, 15, changed);
    for (let t = 0; t < 15; t++) {
      expect(b.obs[t]).toEqual(a.obs[t]);
      for (const i of [0, 1, 3]) expect(b.rew[t]?.[i]).toBe(a.rew[t]?.[i]);
    }
    expect(b.rew.some((r, t) => r[2] !== a.rew[t]?.[2])).toBe(true);
  });

  it('samples tasks per variant: maml U[0, 2] with horizon 100, pearl U[0, 3] with 200, directions ±1', () => {
    const maml = makeMujoco('HalfCheetahVel-v0', { numEnvs: 2 });
    const pearl = makeMujoco('HalfCheetahVel-v0', { numEnvs: 2, variant: 'pearl' });
    expect(maml.spec.maxEpisodeSteps).toBe(100);
    expect(pearl.spec.maxEpisodeSteps).toBe(200);
    const k = key(5);
    const m = maml.sampleTasks(k, 2000);
    const p = pearl.sampleTasks(k, 2000);
    expect(Math.min(...m)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...m)).toBeLessThan(2);
    expect(Math.max(...m)).toBeGreaterThan(1.99);
    expect(Math.max(...p)).toBeGreaterThan(2.99);
    expect(maml.sampleTasks(k, 10)).toEqual(maml.sampleTasks(k, 10));
    const d = makeMujoco('HalfCheetahDir-v0', { numEnvs: 1 }).sampleTasks(k, 2000);
    expect(d.every((v) => v === 1 || v === -1)).toBe(true);
    const plus = d.filter((v) => v === 1).length / 2000;
    expect(plus).toBeGreaterThan(0.45);
    expect(plus).toBeLessThan(0.55);
  });

  it('rejects bad actions and tasks with errors naming them, before any row moves', () => {
    const env = makeMujoco('HalfCheetahDir-v0', { numEnvs: 2 });
    const obs = env.obs.slice();
    expect(() => env.step(new Float32Array(11))).toThrow(/actions/);
    expect(() => env.step(new Float64Array(12) as unknown as Float32Array)).toThrow(TypeError);
    const nan = new Float32Array(12);
    nan[7] = Number.NaN;
    expect(() => env.step(nan)).toThrow(/actions\[7\]/);
    expect(env.obs).toEqual(obs);
    expect(() => env.setTasks(Float32Array.from([1, 0.5]))).toThrow(/tasks\[1\]/);
    expect(() => env.setTasks(Float32Array.from([1]))).toThrow(RangeError);
    expect(() => makeMujoco('HalfCheetahVel-v0').setTasks(Float32Array.from([Number.NaN]))).toThrow(RangeError);
    env.close();
    expect(() => env.step(new Float32Array(12))).toThrow(OuterloopError);
  });

  it('the raw kernels check their arguments', () => {
    const b = getBackend();
    expect(() => b.mujocoOpen('/nonexistent/model.xml', 1)).toThrow(/xmlPath/);
    const sim = b.mujocoOpen(modelPath('half_cheetah.xml'), 2);
    expect(() => b.mujocoStep(sim, new Float64Array(11), 5, new Float64Array(18), new Float64Array(18))).toThrow(
      /ctrl/,
    );
    expect(() => b.mujocoStep(sim, new Float64Array(12), 0, new Float64Array(18), new Float64Array(18))).toThrow(
      /frameSkip/,
    );
    expect(() => b.mujocoSetState(sim, 2, new Float64Array(9), new Float64Array(9))).toThrow(/row/);
    expect(() => b.mujocoFacts({} as typeof sim)).toThrow(TypeError);
  });
});
