// The bound step (envBind / envStepBound): same results as envStep, bad handles and actions
// rejected, and buffers detached or resized after binding caught instead of stepped.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import type { Backend } from '../src/backend/types.js';
import * as envs from '../src/envs/index.js';
import { backends, firstDifference, jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

interface Buffers {
  config: Int32Array;
  state: Float32Array;
  tasks: Float32Array;
  elapsed: Int32Array;
  rng: Uint32Array;
  obs: Float32Array;
  reward: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  finalObs: Float32Array;
  actionLength: number;
  discrete: number;
}

// Fresh, reset buffers for n envs of `id` (short episodes so autoreset happens).
function buffers(b: Backend, id: string, n: number, seed: number): Buffers {
  const config = envs.spec(id).config.slice();
  config[1] = Math.min(config[1] as number, 40);
  const d = new Int32Array(5);
  b.envDims(config, d);
  const [sd, od, ad, td, disc] = Array.from(d) as [number, number, number, number, number];
  const x: Buffers = {
    config,
    state: new Float32Array(sd * n),
    tasks: new Float32Array(td * n),
    elapsed: new Int32Array(n),
    rng: new Uint32Array(4 * n),
    obs: new Float32Array(od * n),
    reward: new Float32Array(n),
    terminated: new Uint8Array(n),
    truncated: new Uint8Array(n),
    finalObs: new Float32Array(od * n),
    actionLength: disc > 0 ? n : ad * n,
    discrete: disc,
  };
  if (td > 0) b.envSampleTasks(config, new Uint32Array([seed, 1]), x.tasks);
  b.envSeed(new Uint32Array([seed, 2]), x.rng);
  b.envReset(config, x.state, x.tasks, x.elapsed, x.rng, x.obs);
  return x;
}

function bind(b: Backend, x: Buffers) {
  return b.envBind(
    x.config,
    x.state,
    x.tasks,
    x.elapsed,
    x.rng,
    x.obs,
    x.reward,
    x.terminated,
    x.truncated,
    x.finalObs,
  );
}

function actionsFor(x: Buffers, step: number): Int32Array | Float32Array {
  if (x.discrete > 0) return Int32Array.from({ length: x.actionLength }, (_, i) => (i * 7 + step * 3) % x.discrete);
  return Float32Array.from({ length: x.actionLength }, (_, i) => Math.sin(i + step * 1.3) * 2.5);
}

const everything = (x: Buffers) => [x.state, x.elapsed, x.rng, x.obs, x.reward, x.terminated, x.truncated, x.finalObs];

describe.each(backends)('envStepBound (%s backend)', (_name, b) => {
  for (const id of ['CartPole-v1', 'Pendulum-v1', 'Acrobot-v1', 'TabularMDP-v0', 'PointRobot-v0']) {
    it(`${id}: steps exactly like envStep`, () => {
      const a = buffers(b, id, 37, 5);
      const c = buffers(b, id, 37, 5);
      const h = bind(b, c);
      let ended = 0;
      for (let s = 0; s < 90; s++) {
        const act = actionsFor(a, s);
        b.envStep(
          a.config,
          a.state,
          a.tasks,
          a.elapsed,
          a.rng,
          act,
          a.obs,
          a.reward,
          a.terminated,
          a.truncated,
          a.finalObs,
        );
        b.envStepBound(h, act);
        for (let i = 0; i < 37; i++) ended += c.terminated[i]! | c.truncated[i]!;
      }
      const ea = everything(a);
      const ec = everything(c);
      for (let k = 0; k < ea.length; k++) expect(firstDifference(ec[k]!, ea[k]!)).toBe(-1);
      expect(ended).toBeGreaterThan(0); // autoreset was exercised
    });
  }

  it('rejects anything but a handle from envBind', () => {
    const x = buffers(b, 'CartPole-v1', 4, 1);
    const act = new Int32Array(4);
    for (const bad of [undefined, null, 0, 'h', {}, [], new Int32Array(4), x.state])
      expect(() => b.envStepBound(bad as never, act)).toThrow(TypeError);
    expect(() => b.envStepBound(bad2(), act)).toThrow(/handle/);
  });

  it('checks the actions on every call and moves nothing when they are bad', () => {
    const x = buffers(b, 'CartPole-v1', 4, 1);
    const h = bind(b, x);
    const before = x.state.slice();
    expect(() => b.envStepBound(h, new Float32Array(4))).toThrow(TypeError);
    expect(() => b.envStepBound(h, new Int32Array(3))).toThrow(/actions: expected length 4/);
    expect(() => b.envStepBound(h, Int32Array.from([0, 1, 2, 0]))).toThrow(/actions\[2\]/);
    expect(() => b.envStepBound(h, Int32Array.from([0, -1, 0, 0]))).toThrow(RangeError);
    const p = buffers(b, 'Pendulum-v1', 2, 1);
    const hp = bind(b, p);
    expect(() => b.envStepBound(hp, Float32Array.from([0, Number.NaN]))).toThrow(/actions\[1\]: expected a number/);
    expect(() => b.envStepBound(hp, new Int32Array(2))).toThrow(TypeError);
    expect(firstDifference(x.state, before)).toBe(-1);
    b.envStepBound(h, Int32Array.from([0, 1, 1, 0]));
    expect(firstDifference(x.state, before)).not.toBe(-1);
  });

  it('checks the buffers once, at bind time, like envStep', () => {
    const x = buffers(b, 'CartPole-v1', 4, 1);
    expect(() => bind(b, { ...x, obs: new Float32Array(15) })).toThrow(/obs: expected length 16/);
    expect(() => bind(b, { ...x, terminated: new Int32Array(4) as never })).toThrow(TypeError);
    expect(() => bind(b, { ...x, elapsed: new Int32Array(0) })).toThrow(RangeError);
    expect(() => bind(b, { ...x, config: Int32Array.from([99, 1, 0, 0]) })).toThrow(/kind/);
  });

  it('reads the config at bind time', () => {
    const x = buffers(b, 'CartPole-v1', 3, 1);
    const h = bind(b, x);
    x.config[0] = 4; // Pendulum-v1: would expect 3 float actions
    x.config[1] = 1;
    b.envStepBound(h, Int32Array.from([1, 0, 1]));
    expect(Array.from(x.truncated)).toEqual([0, 0, 0]);
  });

  it('throws instead of stepping a buffer detached after binding', () => {
    const x = buffers(b, 'CartPole-v1', 4, 1);
    const h = bind(b, x);
    b.envStepBound(h, new Int32Array(4));
    structuredClone(x.rng.buffer, { transfer: [x.rng.buffer as ArrayBuffer] });
    expect(() => b.envStepBound(h, new Int32Array(4))).toThrow(/detached or resized/);
    // a buffer shared by several arrays, as VectorEnv allocates them
    const slab = new ArrayBuffer(4 * 4 * 4 + 4 * 4);
    const y = buffers(b, 'CartPole-v1', 4, 1);
    const state = new Float32Array(slab, 0, 16);
    const elapsed = new Int32Array(slab, 64, 4);
    state.set(y.state);
    const hy = bind(b, { ...y, state, elapsed });
    b.envStepBound(hy, new Int32Array(4));
    structuredClone(slab, { transfer: [slab] });
    expect(() => b.envStepBound(hy, new Int32Array(4))).toThrow(TypeError);
  });

  it('throws instead of stepping a resizable buffer shrunk after binding', () => {
    type Resizable = ArrayBuffer & { resize(n: number): void };
    const Ctor = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable;
    const buf = new Ctor(64, { maxByteLength: 4096 });
    const x = buffers(b, 'CartPole-v1', 4, 1);
    const state = new Float32Array(buf, 0, 16);
    state.set(x.state);
    const h = bind(b, { ...x, state });
    b.envStepBound(h, new Int32Array(4));
    buf.resize(16);
    expect(() => b.envStepBound(h, new Int32Array(4))).toThrow(TypeError);
  });

  it('VectorEnv steps through the bound form and rebinds after a backend switch', () => {
    use(_name as 'native' | 'js');
    const env = envs.make('CartPole-v1', { numEnvs: 8, seed: 3 });
    const ref = envs.make('CartPole-v1', { numEnvs: 8, seed: 3 });
    const r = ref.result;
    for (let s = 0; s < 30; s++) {
      const act = Int32Array.from({ length: 8 }, (_, i) => (i + s) & 1);
      if (s === 15) use(backends[backends.length - 1]![0] as 'native' | 'js');
      env.step(act);
      b.envStep(
        ref.config,
        ref.state,
        ref.tasks,
        ref.elapsed,
        ref.rng,
        act,
        r.obs,
        r.reward,
        r.terminated,
        r.truncated,
        r.finalObs,
      );
    }
    use(backends[0]![0] as 'native' | 'js');
    expect(firstDifference(env.state, ref.state)).toBe(-1);
    expect(firstDifference(env.result.finalObs, r.finalObs)).toBe(-1);
    expect(firstDifference(env.elapsed, ref.elapsed)).toBe(-1);
  });
});

// A value that looks like a handle but was not made by envBind.
function bad2(): never {
  return Object.freeze({ kind: 'binding' }) as never;
}

// A binding whose arrays are no longer referenced anywhere else.
function orphanBinding(b: Backend) {
  return bind(b, buffers(b, 'CartPole-v1', 1024, 1));
}

describe.skipIf(!nativeBackend)(paritySuite('envStepBound handles'), () => {
  it('the native handle holds its buffers weakly and throws once they were collected', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const nb = nativeBackend as Backend;
    const h = orphanBinding(nb);
    nb.envStepBound(h, new Int32Array(1024));
    gc();
    gc();
    expect(() => nb.envStepBound(h, new Int32Array(1024))).toThrow(/garbage-collected/);
  });

  it('a handle from one backend is rejected by the other', () => {
    const nb = nativeBackend as Backend;
    const x = buffers(nb, 'CartPole-v1', 4, 1);
    expect(() => jsBackend.envStepBound(bind(nb, x), new Int32Array(4))).toThrow(TypeError);
    expect(() => nb.envStepBound(bind(jsBackend, x), new Int32Array(4))).toThrow(TypeError);
  });
});
