// Classic-control dynamics against double-precision references written from Gymnasium's
// formulas, episode limits, termination, same-step autoreset and finalObs, per backend.
import { describe, expect, it } from 'vitest';
import * as envs from '../src/envs/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

type Env = ReturnType<typeof envs.make>;

/** Puts row states (component-major, as in the kernel) into an env through a snapshot. */
function setState(env: Env, rows: number[][]): void {
  const snap = env.snapshot();
  const n = env.numEnvs;
  rows.forEach((row, i) => {
    row.forEach((v, c) => {
      snap.state[c * n + i] = v;
    });
  });
  env.restore(snap);
}

function close(actual: ArrayLike<number>, expected: number[], tol = 2e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(expected[i] as number)),
    );
}

// ---- double-precision references (Gymnasium classic_control) --------------------------------
function cartpoleRef(s: number[], a: number): number[] {
  const [x, xd, th, thd] = s as [number, number, number, number];
  const force = a === 1 ? 10 : -10;
  const c = Math.cos(th);
  const sn = Math.sin(th);
  const temp = (force + 0.05 * thd * thd * sn) / 1.1;
  const thacc = (9.8 * sn - c * temp) / (0.5 * (4 / 3 - (0.1 * c * c) / 1.1));
  const xacc = temp - (0.05 * thacc * c) / 1.1;
  return [x + 0.02 * xd, xd + 0.02 * xacc, th + 0.02 * thd, thd + 0.02 * thacc];
}

function pendulumRef(s: number[], u: number): { next: number[]; reward: number } {
  const [th, thd] = s as [number, number];
  u = Math.min(2, Math.max(-2, u));
  const norm = ((((th + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  const cost = norm ** 2 + 0.1 * thd ** 2 + 0.001 * u ** 2;
  let nthd = thd + (((3 * 10) / 2) * Math.sin(th) + 3 * u) * 0.05;
  nthd = Math.min(8, Math.max(-8, nthd));
  return { next: [th + nthd * 0.05, nthd], reward: -cost };
}

function mountainCarRef(s: number[], a: number, continuous: boolean): { next: number[]; reward: number } {
  let [x, v] = s as [number, number];
  const force = continuous ? Math.min(1, Math.max(-1, a)) * 0.0015 : (a - 1) * 0.001;
  v += force - 0.0025 * Math.cos(3 * x);
  v = Math.min(0.07, Math.max(-0.07, v));
  x = Math.min(0.6, Math.max(-1.2, x + v));
  if (x === -1.2 && v < 0) v = 0;
  const goal = continuous ? 0.45 : 0.5;
  const done = x >= goal && v >= 0;
  const reward = continuous ? (done ? 100 : 0) - 0.1 * a * a : -1;
  return { next: [x, v], reward };
}

function acrobotDerivs(a: number, s: number[]): number[] {
  const [t1, t2, dt1, dt2] = s as [number, number, number, number];
  const d1 = 0.25 + (1 + 0.25 + Math.cos(t2)) + 2;
  const d2 = 0.25 + 0.5 * Math.cos(t2) + 1;
  const phi2 = 0.5 * 9.8 * Math.cos(t1 + t2 - Math.PI / 2);
  const phi1 =
    -0.5 * dt2 * dt2 * Math.sin(t2) - dt2 * dt1 * Math.sin(t2) + 1.5 * 9.8 * Math.cos(t1 - Math.PI / 2) + phi2;
  const ddt2 = (a + (d2 / d1) * phi1 - 0.5 * dt1 * dt1 * Math.sin(t2) - phi2) / (0.25 + 1 - (d2 * d2) / d1);
  const ddt1 = -(d2 * ddt2 + phi1) / d1;
  return [dt1, dt2, ddt1, ddt2];
}
function acrobotRef(s: number[], action: number): number[] {
  const a = action - 1;
  const dt = 0.2;
  const add = (y: number[], k: number[], h: number) => y.map((v, i) => v + h * (k[i] as number));
  const k1 = acrobotDerivs(a, s);
  const k2 = acrobotDerivs(a, add(s, k1, dt / 2));
  const k3 = acrobotDerivs(a, add(s, k2, dt / 2));
  const k4 = acrobotDerivs(a, add(s, k3, dt));
  const y = s.map(
    (v, i) => v + (dt / 6) * ((k1[i] as number) + 2 * (k2[i] as number) + 2 * (k3[i] as number) + (k4[i] as number)),
  );
  const wrap = (x: number) => {
    while (x > Math.PI) x -= 2 * Math.PI;
    while (x < -Math.PI) x += 2 * Math.PI;
    return x;
  };
  return [
    wrap(y[0] as number),
    wrap(y[1] as number),
    Math.min(4 * Math.PI, Math.max(-4 * Math.PI, y[2] as number)),
    Math.min(9 * Math.PI, Math.max(-9 * Math.PI, y[3] as number)),
  ];
}

describe.each(backends)('envs (%s backend)', (name) => {
  useBackendForSuite(name);

  it('lists the registered ids and reports Gymnasium specs', () => {
    expect(envs.list()).toEqual([
      'CartPole-v1',
      'Acrobot-v1',
      'MountainCar-v0',
      'MountainCarContinuous-v0',
      'Pendulum-v1',
      'Bandit-v0',
      'TabularMDP-v0',
      'Navigation2D-v0',
      'PointRobot-v0',
      'Catch-v0',
      'TwoColorGrid-v0',
      'Snake-v0',
    ]);
    const cp = envs.make('CartPole-v1', { numEnvs: 3 });
    expect(cp.spec.maxEpisodeSteps).toBe(500);
    expect(cp.spec.rewardThreshold).toBe(475);
    expect(cp.actionSpace).toEqual({ type: 'discrete', n: 2 });
    expect(cp.observationSpace.shape).toEqual([4]);
    expect(cp.obs.length).toBe(12);
    expect(envs.spec('Acrobot-v1').rewardThreshold).toBe(-100);
    expect(envs.spec('MountainCar-v0').maxEpisodeSteps).toBe(200);
    expect(envs.spec('MountainCarContinuous-v0').maxEpisodeSteps).toBe(999);
    expect(envs.spec('MountainCarContinuous-v0').rewardThreshold).toBe(90);
    expect(envs.spec('Pendulum-v1').rewardThreshold).toBeUndefined();
    expect(envs.spec('Pendulum-v1').actionSpace).toMatchObject({ type: 'box', shape: [1] });
  });

  it('CartPole-v1 matches the Euler reference from known states', () => {
    const states = [
      [0, 0, 0, 0],
      [0.1, -0.5, 0.15, 1.2],
      [-1.3, 0.8, -0.19, -0.7],
    ];
    for (const a of [0, 1]) {
      const env = envs.make('CartPole-v1', { numEnvs: 3 });
      setState(env, states);
      const r = env.step(new Int32Array([a, a, a]));
      close(
        r.finalObs,
        states.flatMap((s) => cartpoleRef(s, a)),
      );
      expect([...r.reward]).toEqual([1, 1, 1]);
    }
    // hand-derived first step from rest with a push right: xacc = 400/41, thacc = -600/41
    const env = envs.make('CartPole-v1');
    setState(env, [[0, 0, 0, 0]]);
    close(env.step(new Int32Array([1])).obs, [0, (0.02 * 400) / 41, 0, (-0.02 * 600) / 41]);
  });

  it('CartPole-v1 terminates past the thresholds and resets in the same step', () => {
    const env = envs.make('CartPole-v1', { numEnvs: 2 });
    setState(env, [
      [2.399, 1, 0, 0],
      [0, 0, 0.2094, 0.5],
    ]);
    const r = env.step(new Int32Array([1, 1]));
    expect([...r.terminated]).toEqual([1, 1]);
    expect(r.finalObs[0]).toBeGreaterThan(2.4);
    expect(r.finalObs[6]).toBeGreaterThan(0.2094);
    for (const v of r.obs) expect(Math.abs(v)).toBeLessThan(0.05);
    expect([...env.elapsed]).toEqual([0, 0]);
  });

  it('truncates at the step limit and marks nothing else', () => {
    const env = envs.make('Pendulum-v1', { numEnvs: 4, seed: 3 });
    const a = new Float32Array(4);
    for (let t = 1; t <= 200; t++) {
      const r = env.step(a);
      expect(r.terminated.every((v) => v === 0)).toBe(true);
      expect(r.truncated.every((v) => v === (t === 200 ? 1 : 0))).toBe(true);
      if (t < 200) expect(r.finalObs).toEqual(r.obs);
      else expect(r.finalObs).not.toEqual(r.obs);
    }
    const short = envs.make('CartPole-v1', { numEnvs: 2, maxEpisodeSteps: 3 });
    const flags: number[] = [];
    for (let t = 0; t < 6; t++) flags.push(short.step(new Int32Array([0, 1])).truncated[0] as number);
    expect(flags).toEqual([0, 0, 1, 0, 0, 1]);
  });

  it('Pendulum-v1 matches the reference step, clips torque and wraps the angle in the cost', () => {
    const states = [
      [0.3, -1.5],
      [3.0, 7.9],
      [-7.5, -2],
    ];
    const actions = [1.5, 5, -3];
    const env = envs.make('Pendulum-v1', { numEnvs: 3 });
    setState(env, states);
    const r = env.step(Float32Array.from(actions));
    const ref = states.map((s, i) => pendulumRef(s, actions[i] as number));
    close(
      r.obs,
      ref.flatMap(({ next }) => [Math.cos(next[0] as number), Math.sin(next[0] as number), next[1] as number]),
    );
    close(
      r.reward,
      ref.map((x) => x.reward),
      1e-5,
    );
  });

  it('MountainCar-v0 and MountainCarContinuous-v0 match the reference, walls and goals', () => {
    const mc = envs.make('MountainCar-v0', { numEnvs: 3 });
    const states = [
      [-0.5, 0.01],
      [-1.19, -0.06],
      [0.49, 0.069],
    ];
    setState(mc, states);
    const r = mc.step(new Int32Array([2, 0, 2]));
    close(
      r.finalObs,
      states.flatMap((s, i) => mountainCarRef(s, [2, 0, 2][i] as number, false).next),
    );
    expect(r.finalObs[2]).toBeCloseTo(-1.2, 6); // hit the left wall ...
    expect(r.finalObs[3]).toBe(0); // ... and stopped
    expect([...r.terminated]).toEqual([0, 0, 1]);
    expect([...r.reward]).toEqual([-1, -1, -1]);

    const mcc = envs.make('MountainCarContinuous-v0', { numEnvs: 2 });
    setState(mcc, [
      [-0.5, 0],
      [0.44, 0.05],
    ]);
    const rc = mcc.step(Float32Array.from([3, 0.5]));
    const ref0 = mountainCarRef([-0.5, 0], 3, true);
    const ref1 = mountainCarRef([0.44, 0.05], 0.5, true);
    close(rc.finalObs, [...ref0.next, ...ref1.next]);
    close(rc.reward, [ref0.reward, ref1.reward], 1e-5); // -0.9: charged on the unclipped action
    expect([...rc.terminated]).toEqual([0, 1]);
  });

  it('Acrobot-v1 matches an RK4 reference and rewards 0 on the terminal step', () => {
    const states = [
      [0.05, -0.05, 0.1, -0.1],
      [2.5, 1.0, 3.0, -4.0],
      [-3.0, 0.3, -12, 28],
    ];
    for (const a of [0, 1, 2]) {
      const env = envs.make('Acrobot-v1', { numEnvs: 3 });
      setState(env, states);
      const r = env.step(new Int32Array([a, a, a]));
      const ref = states.map((s) => acrobotRef(s, a));
      close(
        r.finalObs,
        ref.flatMap((s) => [Math.cos(s[0]!), Math.sin(s[0]!), Math.cos(s[1]!), Math.sin(s[1]!), s[2]!, s[3]!]),
        5e-5,
      );
      ref.forEach((s, i) => {
        const terminal = -Math.cos(s[0]!) - Math.cos(s[0]! + s[1]!) > 1;
        expect(r.terminated[i]).toBe(terminal ? 1 : 0);
        expect(r.reward[i]).toBe(terminal ? 0 : -1);
      });
    }
  });

  it('resets into the documented start distributions', () => {
    const n = 2000;
    const check = (id: string, lo: number[], hi: number[]) => {
      const env = envs.make(id, { numEnvs: n, seed: 5 });
      const d = env.obsDim;
      const min = new Array(d).fill(Number.POSITIVE_INFINITY);
      const max = new Array(d).fill(Number.NEGATIVE_INFINITY);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < d; c++) {
          min[c] = Math.min(min[c], env.obs[i * d + c] as number);
          max[c] = Math.max(max[c], env.obs[i * d + c] as number);
        }
      for (let c = 0; c < d; c++) {
        expect(min[c]).toBeGreaterThanOrEqual(lo[c] as number);
        expect(max[c]).toBeLessThanOrEqual(hi[c] as number);
      }
    };
    check('CartPole-v1', [-0.05, -0.05, -0.05, -0.05], [0.05, 0.05, 0.05, 0.05]);
    check('MountainCar-v0', [-0.6, 0], [-0.4, 0]);
    check('Pendulum-v1', [-1, -1, -1], [1, 1, 1]);
    check('Acrobot-v1', [0.99, -0.1, 0.99, -0.1, -0.1, -0.1], [1, 0.1, 1, 0.1, 0.1, 0.1]);
    const p = envs.make('Pendulum-v1', { numEnvs: n, seed: 1 });
    let meanCos = 0;
    for (let i = 0; i < n; i++) meanCos += (p.obs[3 * i] as number) / n;
    expect(Math.abs(meanCos)).toBeLessThan(0.06); // theta ~ U(-pi, pi)
  });

  it('is deterministic per seed, and reset(seed) restarts the streams', () => {
    const run = (seed: number) => {
      const env = envs.make('CartPole-v1', { numEnvs: 8, seed });
      const out: number[] = [...env.obs];
      for (let t = 0; t < 60; t++) out.push(...env.step(new Int32Array(8).fill(t % 2)).obs);
      return out;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const env = envs.make('CartPole-v1', { numEnvs: 8, seed: 7 });
    const first = env.obs.slice();
    env.step(new Int32Array(8));
    expect(env.reset(7)).toEqual(first);
    expect(env.reset()).not.toEqual(first); // continues the streams
  });

  it('snapshot and restore replay the same future', () => {
    const env = envs.make('Acrobot-v1', { numEnvs: 5, seed: 2 });
    for (let t = 0; t < 10; t++) env.step(new Int32Array(5).fill(t % 3));
    const snap = env.snapshot();
    const a: number[] = [];
    for (let t = 0; t < 20; t++) a.push(...env.step(new Int32Array(5).fill(2)).obs);
    env.restore(snap);
    const b: number[] = [];
    for (let t = 0; t < 20; t++) b.push(...env.step(new Int32Array(5).fill(2)).obs);
    expect(b).toEqual(a);
  });

  it('step returns views overwritten by the next step; stepCopy returns copies', () => {
    const env = envs.make('CartPole-v1', { numEnvs: 2 });
    const r1 = env.step(new Int32Array([0, 1]));
    const kept = env.stepCopy(new Int32Array([0, 1]));
    const r3 = env.step(new Int32Array([0, 1]));
    expect(r3.obs).toBe(r1.obs);
    expect(kept.obs).not.toBe(r3.obs);
    expect(kept.obs).not.toEqual(r3.obs);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => envs.make('CartPole-v9')).toThrow(/unknown environment 'CartPole-v9'/);
    expect(() => envs.make('CartPole-v1', { numEnvs: 0 })).toThrow(RangeError);
    expect(() => envs.make('CartPole-v1', { numEnvs: -3 })).toThrow(/numEnvs/);
    expect(() => envs.make('CartPole-v1', { numEnvs: 1.5 })).toThrow(/numEnvs/);
    expect(() => envs.make('CartPole-v1', { numEnv: 4 } as never)).toThrow(/unknown option 'numEnv'/);
    expect(() => envs.make('Bandit-v0', { arms: 1 })).toThrow(/arms/);
    const cp = envs.make('CartPole-v1', { numEnvs: 3 });
    expect(() => cp.step(new Float32Array(3))).toThrow(TypeError);
    expect(() => cp.step(new Int32Array(2))).toThrow(/actions: expected length 3/);
    expect(() => cp.step(new Int32Array([0, 2, 1]))).toThrow(/actions\[1\]: expected an integer in \[0, 2\)/);
    expect(() => cp.step(new Int32Array([0, -1, 1]))).toThrow(RangeError);
    expect(() => cp.step([0, 1, 0] as never)).toThrow(TypeError);
    // Beyond the first vector block and in the tail, with the extreme int32 values.
    const wide = envs.make('CartPole-v1', { numEnvs: 100 });
    for (const [at, v] of [
      [77, 2],
      [99, -1],
      [16, 2 ** 31 - 1],
      [64, -(2 ** 31)],
    ] as const) {
      const a = new Int32Array(100);
      a[at] = v;
      expect(() => wide.step(a)).toThrow(new RegExp(`actions\\[${at}\\]`));
    }
    const wideBox = envs.make('Pendulum-v1', { numEnvs: 70 });
    const nanAt = new Float32Array(70);
    nanAt[69] = Number.NaN;
    expect(() => wideBox.step(nanAt)).toThrow(/actions\[69\].*NaN/);
    const pend = envs.make('Pendulum-v1', { numEnvs: 2 });
    const before = pend.snapshot();
    expect(() => pend.step(new Float32Array([0.5, Number.NaN]))).toThrow(/actions\[1\].*NaN/);
    expect(pend.snapshot().state).toEqual(before.state); // rejected before any env moved
    expect(() => pend.step(new Int32Array(2))).toThrow(TypeError);
    pend.step(new Float32Array([Number.POSITIVE_INFINITY, -1e30])); // clipped, not rejected
    expect(pend.obs.every((v) => Number.isFinite(v))).toBe(true);
    pend.close();
    expect(() => pend.step(new Float32Array(2))).toThrow(/closed/);
  });
});
