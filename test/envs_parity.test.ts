// Native vs js: the same seed and actions give the same trajectories (bit-identical here: the
// env math is float32 +,-,*,/,sqrt and the shared polynomial sin/cos), for every env, and the
// native results do not depend on the thread count.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import * as envs from '../src/envs/index.js';
import { firstDifference, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

interface Trace {
  obs: number[];
  reward: number[];
  flags: number[];
  finalObs: number[];
  tasks: Float32Array;
}

function trace(b: Backend, id: string, n: number, steps: number, seed: number, tasks?: Float32Array): Trace {
  const spec = envs.spec(id);
  const cfg = spec.config.slice();
  cfg[1] = Math.min(cfg[1]!, 120); // short limits so truncation and autoreset happen
  const d = new Int32Array(5);
  b.envDims(cfg, d);
  const [sd, od, ad, td, disc] = d as unknown as number[];
  const state = new Float32Array(sd! * n);
  const t = tasks ?? new Float32Array(td! * n);
  if (!tasks) b.envSampleTasks(cfg, new Uint32Array([seed, 1]), t);
  const elapsed = new Int32Array(n);
  const rng = new Uint32Array(4 * n);
  b.envSeed(new Uint32Array([seed, 2]), rng);
  const obs = new Float32Array(od! * n);
  const fin = new Float32Array(od! * n);
  const reward = new Float32Array(n);
  const term = new Uint8Array(n);
  const trunc = new Uint8Array(n);
  b.envReset(cfg, state, t, elapsed, rng, obs);
  const out: Trace = { obs: [...obs], reward: [], flags: [], finalObs: [], tasks: t };
  // deterministic pseudo-random actions, the same for both backends
  let h = seed * 2654435761;
  const next = () => {
    h = (Math.imul(h ^ (h >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return h / 2 ** 32;
  };
  for (let s = 0; s < steps; s++) {
    const actions =
      disc! > 0
        ? Int32Array.from({ length: n }, () => Math.floor(next() * disc!))
        : Float32Array.from({ length: n * ad! }, () => (next() * 2 - 1) * 2.5);
    b.envStep(cfg, state, t, elapsed, rng, actions, obs, reward, term, trunc, fin);
    out.obs.push(...obs);
    out.finalObs.push(...fin);
    out.reward.push(...reward);
    for (let i = 0; i < n; i++) out.flags.push(term[i]! + 2 * trunc[i]!);
  }
  return out;
}

describe.skipIf(!nativeBackend)(paritySuite('envs parity'), () => {
  for (const id of envs.list()) {
    it(`${id}: same trajectories for the same seed and actions`, () => {
      const steps = id === 'TabularMDP-v0' || id === 'Bandit-v0' ? 60 : 300;
      const n = 37;
      const a = trace(nativeBackend!, id, n, steps, 11);
      // tasks are compared with a tolerance (Dirichlet and normal draws go through libm's log/cos);
      // trajectories are then compared from the same tasks
      expect(maxRelDiff(a.tasks, trace(jsBackend, id, n, 0, 11).tasks)).toBeLessThan(1e-6);
      const b = trace(jsBackend, id, n, steps, 11, a.tasks);
      expect(firstDifference(a.flags, b.flags)).toBe(-1);
      expect(firstDifference(a.obs, b.obs)).toBe(-1);
      expect(firstDifference(a.finalObs, b.finalObs)).toBe(-1);
      if (id === 'TabularMDP-v0') {
        // Its Gaussian reward noise goes through Box–Muller (libm's log/cos vs V8's): within
        // float32 rounding, not bit for bit — the one exception to bit-identical trajectories.
        expect(maxRelDiff(a.reward, b.reward)).toBeLessThan(1e-6);
      } else {
        expect(firstDifference(a.reward, b.reward)).toBe(-1);
      }
      // episodes did end (the autoreset path is exercised)
      expect(a.flags.some((f) => f > 0)).toBe(true);
    });
  }

  it('native results do not depend on the thread count', () => {
    const n = nativeBackend!;
    const before = n.threads();
    try {
      n.threads(1);
      const one = trace(n, 'CartPole-v1', 9000, 40, 3);
      n.threads(2);
      const two = trace(n, 'CartPole-v1', 9000, 40, 3);
      expect(firstDifference(one.obs, two.obs)).toBe(-1);
      expect(firstDifference(one.flags, two.flags)).toBe(-1);
    } finally {
      n.threads(before);
    }
  });
});
