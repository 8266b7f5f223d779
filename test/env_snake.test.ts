// Snake-v0 against hand-computed episodes of Jumanji's Snake rules (instadeepai/jumanji
// `environments/routing/snake/env.py`: moves [up, right, down, left], +1 per fruit and growth by one,
// death off the board or on the body except the tail, which moves away), on both backends. The
// reference here keeps the body as a list of cells, head first (not the order grid of the env files);
// only the fruit's new cell is read from the env (it is random), and checked to be a free cell. The
// native ≡ js trajectory check is test/envs_parity.test.ts (it iterates every kind).
import { describe, expect, it } from 'vitest';
import * as envs from '../src/envs/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

const N = 6;
const CELLS = N * N;
const MOVES = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
] as const;

/** The reference state: body cells head first, and the fruit. */
interface Snake {
  body: number[];
  fruit: number;
}

/** Reads the reference state back from one 180-float observation (checking all five planes agree). */
function decode(obs: Float32Array, off = 0): Snake {
  const plane = (p: number, c: number): number => obs[off + p * CELLS + c] as number;
  const cells = [...Array(CELLS).keys()];
  const length = cells.filter((c) => plane(0, c) === 1).length;
  // the order plane holds order / length: head 1, tail 1 / length
  const body = cells.filter((c) => plane(0, c) === 1).sort((a, b) => plane(4, b) - plane(4, a));
  const fruit = cells.find((c) => plane(3, c) === 1) ?? -1;
  return { body, fruit, length } as Snake & { length: number };
}

/** The 180-float observation of a reference state. */
function render(s: Snake): number[] {
  const o = new Array<number>(5 * CELLS).fill(0);
  const L = s.body.length;
  s.body.forEach((c, k) => {
    o[c] = 1;
    o[4 * CELLS + c] = Math.fround((L - k) / L);
  });
  o[CELLS + (s.body[0] as number)] = 1;
  o[2 * CELLS + (s.body[L - 1] as number)] = 1;
  o[3 * CELLS + s.fruit] = 1;
  return o;
}

/** One reference step: the outcome, with the fruit's new cell (taken from the env when eaten). */
function move(s: Snake, a: number): { dead: boolean; ate: boolean; next: Snake } {
  const head = s.body[0] as number;
  const [dr, dc] = MOVES[a] as readonly [number, number];
  const r = Math.floor(head / N) + dr;
  const c = (head % N) + dc;
  const to = r * N + c;
  const blocked = s.body.slice(0, -1); // the tail moves away in the same step
  if (r < 0 || r >= N || c < 0 || c >= N || blocked.includes(to)) return { dead: true, ate: false, next: s };
  const ate = to === s.fruit;
  const body = [to, ...(ate ? s.body : s.body.slice(0, -1))];
  return { dead: false, ate, next: { body, fruit: s.fruit } };
}

/** Plays `actions` on one env from its current state, checking every step against the reference. */
function play(env: envs.VectorEnv, actions: number[]): { rewards: number[]; ends: number[]; state: Snake } {
  let s = decode(env.obs);
  const rewards: number[] = [];
  const ends: number[] = [];
  for (const a of actions) {
    const want = move(s, a);
    const r = env.step(new Int32Array([a]));
    const got = decode(r.finalObs);
    if (want.ate) {
      expect(want.next.body.includes(got.fruit), 'new fruit on a free cell').toBe(false);
      want.next.fruit = got.fruit;
    }
    expect(Array.from(r.finalObs), `action ${a}`).toEqual(render(want.next));
    expect(r.terminated[0]).toBe(want.dead ? 1 : 0);
    expect(r.reward[0]).toBe(want.ate ? 1 : 0);
    rewards.push(r.reward[0] as number);
    ends.push((r.terminated[0] as number) + 2 * (r.truncated[0] as number));
    s = want.dead || r.truncated[0] ? decode(env.obs) : want.next;
  }
  return { rewards, ends, state: s };
}

/** Actions that take the head from cell a to cell b: rows first, then columns. */
function path(a: number, b: number): number[] {
  const dr = Math.floor(b / N) - Math.floor(a / N);
  const dc = (b % N) - (a % N);
  return [
    ...new Array<number>(Math.abs(dr)).fill(dr < 0 ? 0 : 2),
    ...new Array<number>(Math.abs(dc)).fill(dc < 0 ? 3 : 1),
  ];
}

/** A path from the head to `to` whose first move is not onto the neck (so a short snake survives it). */
function safePath(s: Snake, to: number): number[] {
  const head = s.body[0] as number;
  const neck = s.body[1];
  const rowsFirst = path(head, to);
  const colsFirst = [...rowsFirst].reverse();
  const onNeck = (p: number[]): boolean => p.length > 0 && move(s, p[0] as number).next.body[0] === neck;
  if (!onNeck(rowsFirst)) return rowsFirst;
  if (!onNeck(colsFirst)) return colsFirst;
  // the fruit is straight behind: step aside first (a perpendicular move inside the board)
  const side = (rowsFirst[0] as number) % 2 === 0 ? (head % N > 0 ? 3 : 1) : Math.floor(head / N) > 0 ? 0 : 2;
  return [side, ...safePath(move(s, side).next, to)];
}

describe.each(backends)('Snake-v0 (%s backend)', (name) => {
  useBackendForSuite(name);

  it('starts with a length-1 snake and a fruit elsewhere; runs off the top edge after row + 1 moves up', () => {
    const env = envs.make('Snake-v0', { numEnvs: 1, seed: 3 });
    for (let episode = 0; episode < 4; episode++) {
      const s = decode(env.obs);
      expect(s.body.length).toBe(1);
      expect(s.fruit).not.toBe(s.body[0]);
      expect(Array.from(env.obs)).toEqual(render(s));
      const row = Math.floor((s.body[0] as number) / N);
      // a fruit straight above is eaten on the way: the reference checks reward and growth too
      const { ends } = play(env, new Array<number>(row + 1).fill(0));
      expect(ends).toEqual([...new Array<number>(row).fill(0), 1]);
    }
    env.close();
  });

  it('eats three fruits (+1 each, growing by one), may turn onto its moving tail, and dies on its neck', () => {
    const env = envs.make('Snake-v0', { numEnvs: 1, seed: 11 });
    let s = decode(env.obs);
    let total = 0;
    for (let k = 0; k < 3; k++) {
      const res = play(env, safePath(s, s.fruit));
      // a monotone path whose first move spares the neck never meets the body of a snake of length ≤ 3
      expect(res.ends.every((e) => e === 0)).toBe(true);
      expect(res.rewards.at(-1)).toBe(1);
      total += res.rewards.reduce((x, y) => x + y, 0);
      s = res.state;
      expect(s.body.length).toBe(2 + k);
      if (k === 0) {
        // length 2: reversing onto the tail is allowed (it moves away); head and tail swap
        const tail = s.body[1] as number;
        const back = path(s.body[0] as number, tail)[0] as number;
        s = play(env, [back]).state;
        expect(s.body[0]).toBe(tail);
      }
    }
    expect(total).toBe(3);
    // length 4: reversing onto the neck (order 3 of 4) kills, pays 0 and keeps the board as it was
    const before = Array.from(env.obs);
    const neck = s.body[1] as number;
    const r = play(env, [path(s.body[0] as number, neck)[0] as number]);
    expect(r.ends).toEqual([1]);
    expect(r.rewards).toEqual([0]);
    expect(decode(env.obs).body.length).toBe(1);
    expect(before).toEqual(render(s));
    env.close();
  });

  it('truncates at maxEpisodeSteps, and a seed fixes every fruit', () => {
    const run = (seed: number): number[] => {
      const env = envs.make('Snake-v0', { numEnvs: 1, seed, maxEpisodeSteps: 6 });
      const s = decode(env.obs);
      // up and down in place of a wall: a length-1 snake never dies (row 0 goes down first)
      const first = Math.floor((s.body[0] as number) / N) === 0 ? 2 : 0;
      const acts = Array.from({ length: 6 }, (_, t) => (t % 2 === 0 ? first : 2 - first));
      const { ends } = play(env, acts);
      expect(ends.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(ends[5]! & 2).toBe(2);
      const fruits = [decode(env.obs).fruit];
      env.close();
      return fruits;
    };
    expect(run(5)).toEqual(run(5));
  });

  it('places the head and the first fruit uniformly (over 3600 resets) and never on each other', () => {
    const n = 3600;
    const env = envs.make('Snake-v0', { numEnvs: n, seed: 2 });
    const heads = new Int32Array(CELLS);
    const fruits = new Int32Array(CELLS);
    for (let i = 0; i < n; i++) {
      const s = decode(env.obs, 5 * CELLS * i);
      expect(s.fruit).not.toBe(s.body[0]);
      heads[s.body[0] as number]! += 1;
      fruits[s.fruit]! += 1;
    }
    // 100 expected per cell, binomial σ ≈ 9.9: 5σ bounds
    for (const k of [...heads, ...fruits]) expect(Math.abs(k - 100)).toBeLessThan(50);
    env.close();
  });

  it("has Jumanji's action space, five 6 x 6 feature planes and no options of its own", () => {
    const s = envs.spec('Snake-v0');
    expect(s.observationSpace.shape).toEqual([180]);
    expect(s.actionSpace).toEqual({ type: 'discrete', n: 4 });
    expect(s.maxEpisodeSteps).toBe(1000);
    expect(() => envs.make('Snake-v0', { swapEvery: 3 })).toThrow(/swapEvery/);
  });
});
