// TwoColorGrid-v0 (the non-stationary two-colour grid world of BMG; constants of the replication
// MagiFeeney/Bootstrapped-Meta-Learning) against hand-computed steps on both backends: walls
// block, −0.04 per step, +1 blue / −1 red swapped every `swapEvery` steps, an eaten object
// respawns on a free cell. Native ≡ js trajectories: test/envs_parity.test.ts.
import { describe, expect, it } from 'vitest';
import * as envs from '../src/envs/index.js';
import type { VectorEnv } from '../src/envs/vector_env.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

type Cell = [number, number];
/** Agent, blue, red (row, col) from the 30-float observation. */
function decode(o: Float32Array): [Cell, Cell, Cell] {
  const at = (e: number): Cell => [
    o.subarray(10 * e, 10 * e + 5).indexOf(1),
    o.subarray(10 * e + 5, 10 * e + 10).indexOf(1),
  ];
  return [at(0), at(1), at(2)];
}
const same = (a: Cell, b: Cell): boolean => a[0] === b[0] && a[1] === b[1];
const MOVES: Cell[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

/** A move from `from` toward `to` (row first). */
function toward(from: Cell, to: Cell): number {
  if (to[0] !== from[0]) return to[0] < from[0] ? 0 : 1;
  return to[1] < from[1] ? 2 : 3;
}

/** Plays `steps` chasing one object, checking every step; returns [step, object eaten, reward] of each eat. */
function play(env: VectorEnv, steps: number, chase: 1 | 2, swapEvery: number): [number, number, number][] {
  const eats: [number, number, number][] = [];
  for (let t = 0; t < steps; t++) {
    const [agent, blue, red] = decode(env.obs);
    const a = toward(agent, chase === 1 ? blue : red);
    const want: Cell = [
      Math.min(4, Math.max(0, agent[0] + MOVES[a]![0])),
      Math.min(4, Math.max(0, agent[1] + MOVES[a]![1])),
    ];
    const r = env.step(new Int32Array([a]));
    const [a2, b2, r2] = decode(r.obs);
    expect(a2).toEqual(want);
    const swapped = Math.floor(t / swapEvery) % 2 === 1;
    const ate = same(want, blue) ? 1 : same(want, red) ? 2 : 0;
    const expected = ate === 0 ? Math.fround(-0.04) : (ate === 1) !== swapped ? 1 : -1;
    expect(r.reward[0]).toBe(expected);
    // the uneaten object stays; the eaten one moves to a cell free of agent and the other object
    if (ate !== 2) expect(r2).toEqual(red);
    if (ate !== 1) expect(b2).toEqual(blue);
    expect(same(b2, r2) || same(a2, b2) || same(a2, r2)).toBe(false);
    expect(r.terminated[0]).toBe(0);
    if (ate > 0) eats.push([t, ate, r.reward[0] as number]);
  }
  return eats;
}

describe.each(backends)('TwoColorGrid-v0 (%s backend)', (name) => {
  useBackendForSuite(name);

  it('moves, blocks at walls, pays −0.04 per step and ±1 for the objects', () => {
    const env = envs.make('TwoColorGrid-v0', { seed: 3 });
    const eats = play(env, 200, 1, 100000);
    // chasing blue eats it every few steps
    expect(eats.filter(([, e, r]) => e === 1 && r === 1).length).toBeGreaterThan(20);
    expect(eats.filter(([, e]) => e === 2).every(([, , r]) => r === -1)).toBe(true);
    // into the wall: from row 0, 'up' stays
    const e2 = envs.make('TwoColorGrid-v0', { seed: 5 });
    for (let k = 0; k < 6; k++) e2.step(new Int32Array([0]));
    expect(decode(e2.obs)[0][0]).toBe(0);
  });

  it('swaps the colours every swapEvery steps', () => {
    const env = envs.make('TwoColorGrid-v0', { seed: 8, swapEvery: 50 });
    const eats = play(env, 200, 1, 50).filter(([, e]) => e === 1);
    // blue pays +1 in steps [0, 50) and [100, 150), −1 in [50, 100) and [150, 200)
    for (const [t, , r] of eats) expect(r).toBe(Math.floor(t / 50) % 2 === 0 ? 1 : -1);
    expect(eats.filter(([t]) => t < 50).length).toBeGreaterThan(3);
    expect(eats.filter(([t]) => t >= 50 && t < 100).length).toBeGreaterThan(3);
  });

  it('places three distinct cells at reset and checks swapEvery', () => {
    const env = envs.make('TwoColorGrid-v0', { numEnvs: 500, seed: 2 });
    const obs = env.obs;
    for (let i = 0; i < 500; i++) {
      const [a, b, r] = decode(obs.subarray(30 * i, 30 * i + 30));
      expect(same(a, b) || same(a, r) || same(b, r)).toBe(false);
    }
    expect(() => envs.make('TwoColorGrid-v0', { swapEvery: 0 })).toThrow(RangeError);
    expect(() => envs.make('TwoColorGrid-v0', { swapEvery: 0 })).toThrow(/swapEvery/);
  });
});
