// Snapshot/restore of the MuJoCo vector env (src/envs/mujoco/snapshot.ts): a snapshot restored
// into a fresh env (another seed, another object) reproduces the next 50 steps bit for bit, across
// autoresets, terminations and per-row tasks; leaving out the reset streams or the step counters
// (plausible wrong snapshots) is caught; corrupt or foreign snapshots are TypeError/RangeError
// naming the field and leave the env as it was. The PPO resume built on it is in
// test/mujoco_resume.test.ts. Needs the MuJoCo engine (skipped with the reason otherwise).
import { describe, expect, it } from 'vitest';
import { getBackend } from '../src/backend/index.js';
import { type MujocoEnvSnapshot, type MujocoVectorEnv, make, makeMujoco, modelPath } from '../src/envs/index.js';
import type { StepResult } from '../src/envs/vector_env.js';
import { mujocoSkipReason } from './helpers/mujoco.js';

const FIELDS = ['obs', 'reward', 'terminated', 'truncated', 'finalObs'] as const;

/** Steps `env` `n` times from step index t0 with actions that depend only on the step index. */
function drive(env: MujocoVectorEnv, t0: number, n: number): StepResult[] {
  const act = new Float32Array(env.numEnvs * env.actionDim);
  const out: StepResult[] = [];
  for (let t = t0; t < t0 + n; t++) {
    // Amplitude 1.3: some actions leave [-1, 1], so the clamp is exercised too.
    for (let j = 0; j < act.length; j++) act[j] = 1.3 * Math.sin(0.37 * t + 1.1 * j);
    out.push(env.stepCopy(act));
  }
  return out;
}

/** Index of the first step whose result differs anywhere (bitwise, NaN-aware), or -1. */
function firstDiffStep(a: StepResult[], b: StepResult[]): number {
  for (let k = 0; k < a.length; k++)
    for (const f of FIELDS) {
      const x = a[k]?.[f] as ArrayLike<number>;
      const y = b[k]?.[f] as ArrayLike<number>;
      for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) return k;
    }
  return -1;
}

type Opts = Parameters<typeof makeMujoco>[1];

/** Runs `before` steps, snapshots, runs 50 more; returns the snapshot and those 50 steps. */
function reference(id: string, opts: Opts, before: number, tasks?: Float32Array) {
  const env = makeMujoco(id, opts);
  if (tasks) env.setTasks(tasks);
  drive(env, 0, before);
  const snap = env.snapshot();
  const next = drive(env, before, 50);
  return { env, snap, next };
}

describe.skipIf(mujocoSkipReason !== null)('MuJoCo env snapshot/restore', () => {
  const cases: [string, Opts, number][] = [
    // Episodes of 30 steps: the 50 steps after the snapshot cross two autoresets per row.
    ['HalfCheetah-v5', { numEnvs: 3, seed: 1, maxEpisodeSteps: 30 }, 45],
    // The ant's contact forces (observed and in the reward), its free root and its terminations.
    ['Ant-v5', { numEnvs: 2, seed: 2, maxEpisodeSteps: 40 }, 33],
  ];
  it.each(cases)(
    '%s: a fresh env restored from a snapshot reproduces the next 50 steps exactly',
    (id, opts, before) => {
      const { snap, next } = reference(id, opts, before);
      // The reference run must cross resets after the snapshot, or the streams would go untested.
      expect(next.some((r) => r.truncated.some((v) => v === 1) || r.terminated.some((v) => v === 1))).toBe(true);
      const fresh = makeMujoco(id, { ...opts, seed: 77 });
      drive(fresh, 0, 7);
      fresh.restore(snap);
      expect(Array.from(fresh.obs)).toEqual(Array.from(snap.obs));
      expect(firstDiffStep(drive(fresh, before, 50), next)).toBe(-1);
      // The snapshot is a copy: restoring it twice gives the same steps again.
      fresh.restore(snap);
      expect(firstDiffStep(drive(fresh, before, 50), next)).toBe(-1);
    },
  );

  it('HalfCheetahVel-v0: per-row tasks come back with the snapshot', () => {
    const opts = { numEnvs: 2, seed: 3, maxEpisodeSteps: 20 };
    const tasks = Float32Array.from([0.25, 1.75]);
    const { snap, next } = reference('HalfCheetahVel-v0', opts, 12, tasks);
    const fresh = makeMujoco('HalfCheetahVel-v0', opts);
    expect(Array.from(fresh.getTasks())).not.toEqual(Array.from(tasks));
    fresh.restore(snap);
    expect(Array.from(fresh.getTasks())).toEqual(Array.from(tasks));
    expect(firstDiffStep(drive(fresh, 12, 50), next)).toBe(-1);
  });

  it('a snapshot without the reset streams or the step counters is caught (plausible wrong variants)', () => {
    const opts = { numEnvs: 3, seed: 1, maxEpisodeSteps: 30 };
    const { snap, next } = reference('HalfCheetah-v5', opts, 45);
    const fresh = makeMujoco('HalfCheetah-v5', { ...opts, seed: 5 });
    // Wrong 1: the rows' reset streams of the restoring env kept (not the snapshot's).
    const ownRng = fresh.snapshot().rng;
    fresh.restore({ ...snap, rng: ownRng });
    const a = firstDiffStep(drive(fresh, 45, 50), next);
    expect(a).toBeGreaterThan(-1);
    // Wrong 2: the step counters restarted (as a plain set-state would leave them).
    fresh.restore({ ...snap, elapsed: new Int32Array(3) });
    expect(firstDiffStep(drive(fresh, 45, 50), next)).toBeGreaterThan(-1);
    // Both first differ only once a row resets: the physics alone was right.
    expect(a).toBeGreaterThan(0);
  });

  it('the kernels: the state round-trips bit for bit and bad input names the argument', () => {
    const b = getBackend();
    const env = makeMujoco('HalfCheetah-v5', { numEnvs: 2, seed: 4 });
    drive(env, 0, 5);
    const s = env.snapshot().physics;
    expect(s.length).toBe(2 * env.facts.stateSize);
    const sim = b.mujocoOpen(modelPath(env.spec.model), 2);
    b.mujocoSetFullState(sim, s);
    const back = new Float64Array(s.length);
    b.mujocoGetState(sim, back);
    expect(Buffer.from(back.buffer).equals(Buffer.from(s.buffer))).toBe(true);
    expect(() => b.mujocoSetFullState(sim, s.subarray(1))).toThrow(/state: expected length/);
    const nan = s.slice();
    nan[7] = Number.NaN;
    expect(() => b.mujocoSetFullState(sim, nan)).toThrow(/state\[7\]: expected a finite number/);
    expect(() => b.mujocoGetState(sim, new Float32Array(s.length) as unknown as Float64Array)).toThrow(TypeError);
    expect(() => b.mujocoSetFullState({} as typeof sim, s)).toThrow(/sim: expected a handle/);
  });

  describe('corrupt or foreign snapshots', () => {
    const opts = { numEnvs: 2, seed: 6, maxEpisodeSteps: 25 };
    // Built when a test runs (collection happens even where the suite is skipped).
    let cached: MujocoEnvSnapshot | undefined;
    const good = (): MujocoEnvSnapshot => {
      cached ??= reference('HalfCheetah-v5', opts, 10).snap;
      return cached;
    };
    type Change = () => Partial<Record<keyof MujocoEnvSnapshot, unknown>>;
    const with_ = (change: Change) => () => ({ ...good(), ...change() }) as MujocoEnvSnapshot;
    const withPhysics = (j: number, v: number) =>
      with_(() => {
        const p = good().physics.slice();
        p[j] = v;
        return { physics: p };
      });
    const rows: [string, () => unknown, RegExp, ErrorConstructor][] = [
      ['not an object', () => 42, /snapshot: expected an object/, TypeError],
      ['null', () => null, /snapshot: expected an object/, TypeError],
      [
        "a kernel env's snapshot",
        () => make('Pendulum-v1', { numEnvs: 2 }).snapshot(),
        /not a MuJoCo env's snapshot/,
        RangeError,
      ],
      [
        'float32 physics',
        with_(() => ({ physics: new Float32Array(good().physics.length) })),
        /not a MuJoCo env's snapshot/,
        RangeError,
      ],
      [
        "another id's",
        () => makeMujoco('Ant-v5', { numEnvs: 2 }).snapshot(),
        /taken from a different env \(Ant-v5 × 2\)/,
        RangeError,
      ],
      [
        'another numEnvs',
        () => makeMujoco('HalfCheetah-v5', { ...opts, numEnvs: 3 }).snapshot(),
        /different env/,
        RangeError,
      ],
      [
        'another step limit',
        () => makeMujoco('HalfCheetah-v5', { ...opts, maxEpisodeSteps: 26 }).snapshot(),
        /snapshot\.config: .*other sizes or options/,
        RangeError,
      ],
      [
        'a future format',
        with_(() => ({ config: Int32Array.from([2, ...good().config.subarray(1)]) })),
        /snapshot format 2/,
        RangeError,
      ],
      ['a truncated config', with_(() => ({ config: good().config.subarray(0, 4) })), /snapshot\.config/, RangeError],
      [
        'short physics',
        with_(() => ({ physics: good().physics.subarray(1) })),
        /snapshot\.physics: expected length/,
        RangeError,
      ],
      [
        'NaN in the physics',
        withPhysics(30, Number.NaN),
        /snapshot\.physics\[30\]: expected a finite number/,
        RangeError,
      ],
      ['Infinity in the physics', withPhysics(3, Number.POSITIVE_INFINITY), /snapshot\.physics\[3\]/, RangeError],
      [
        'float64 observations',
        with_(() => ({ obs: Float64Array.from(good().obs) })),
        /snapshot\.obs: expected a Float32Array/,
        TypeError,
      ],
      [
        'NaN observations',
        with_(() => ({ obs: good().obs.map((v, j) => (j === 4 ? Number.NaN : v)) })),
        /snapshot\.obs\[4\]/,
        RangeError,
      ],
      [
        'a step counter past the limit',
        with_(() => ({ elapsed: Int32Array.from([3, 25]) })),
        /snapshot\.elapsed\[1\]: expected 0 … 24, got 25/,
        RangeError,
      ],
      [
        'a negative step counter',
        with_(() => ({ elapsed: Int32Array.from([-1, 0]) })),
        /snapshot\.elapsed\[0\]/,
        RangeError,
      ],
      [
        'a short rng',
        with_(() => ({ rng: good().rng.subarray(0, 5) })),
        /snapshot\.rng: expected length 6/,
        RangeError,
      ],
      [
        'an episode count of 0',
        with_(() => ({ rng: good().rng.map((v, j) => (j === 5 ? 0 : v)) })),
        /snapshot\.rng\[5\]: expected an episode count/,
        RangeError,
      ],
      ['missing tasks', with_(() => ({ tasks: undefined })), /snapshot\.tasks: expected a Float32Array/, TypeError],
      [
        'non-empty state',
        with_(() => ({ state: new Float32Array(3) })),
        /snapshot\.state: expected length 0/,
        RangeError,
      ],
    ];
    it.each(rows)('%s: a clear error, and the env is left as it was', (_what, makeSnapshot, message, type) => {
      const snapshot = makeSnapshot();
      const env = makeMujoco('HalfCheetah-v5', opts);
      const twin = makeMujoco('HalfCheetah-v5', opts);
      drive(env, 0, 4);
      drive(twin, 0, 4);
      expect(() => env.restore(snapshot as MujocoEnvSnapshot)).toThrow(type);
      expect(() => env.restore(snapshot as MujocoEnvSnapshot)).toThrow(message);
      expect(firstDiffStep(drive(env, 4, 30), drive(twin, 4, 30))).toBe(-1);
    });

    it("a task outside the family's range is refused naming the element", () => {
      const { snap: vel } = reference('HalfCheetahVel-v0', { numEnvs: 2, seed: 1 }, 3);
      const env = makeMujoco('HalfCheetahVel-v0', { numEnvs: 2, seed: 1 });
      expect(() => env.restore({ ...vel, tasks: Float32Array.from([0.5, Number.NaN]) })).toThrow(/snapshot\.tasks/);
    });

    it("a kernel env refuses a MuJoCo env's snapshot", () => {
      const kernel = make('Pendulum-v1', { numEnvs: 2 });
      expect(() => kernel.restore(good())).toThrow(RangeError);
    });

    it('a closed env refuses snapshot and restore', () => {
      const env = makeMujoco('HalfCheetah-v5', opts);
      env.close();
      expect(() => env.snapshot()).toThrow(/closed/);
      expect(() => env.restore(good())).toThrow(/closed/);
    });
  });
});

it('MuJoCo snapshot skip reason', () => {
  if (mujocoSkipReason !== null) console.log(`MuJoCo snapshot tests skipped: ${mujocoSkipReason}`);
  expect(true).toBe(true);
});
