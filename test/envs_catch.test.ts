// Catch-v0 against hand-computed episodes of bsuite's `environments/catch.py` (10 x 5 board, ball
// falls a row per step, paddle moves by a − 1 first, ±1 at the bottom) on both backends; the
// native ≡ js trajectory check is test/envs_parity.test.ts (it iterates every kind).
import { describe, expect, it } from 'vitest';
import * as envs from '../src/envs/index.js';
import { backends, useBackendForSuite } from './helpers/backends.js';

/** [ballRow, ballCol, paddleCol] read back from a 50-float board. */
function decode(board: Float32Array, off = 0): [number, number, number] {
  let ball = -1;
  let paddle = -1;
  for (let c = 0; c < 50; c++) {
    if (board[off + c] !== 1) continue;
    if (c >= 45 && (paddle < 0 || ball >= 0)) paddle = c - 45;
    else ball = c;
  }
  // a ball in row 9 shares the row with the paddle: both cells are 1 (or one cell if caught)
  if (ball < 0) ball = 45 + paddle;
  return [Math.floor(ball / 5), ball % 5, paddle];
}

describe.each(backends)('Catch-v0 (%s backend)', (name) => {
  useBackendForSuite(name);

  it('plays hand-computed episodes: a catch (+1) and a miss (−1), 9 steps each', () => {
    const env = envs.make('Catch-v0', { numEnvs: 1, seed: 4 });
    for (let episode = 0; episode < 6; episode++) {
      const [row0, col, paddle0] = decode(env.obs);
      expect([row0, paddle0]).toEqual([0, 2]);
      // even episodes chase the ball, odd ones run to the far wall from it
      const target = episode % 2 === 0 ? col : col < 2 ? 4 : 0;
      let paddle = paddle0;
      let total = 0;
      for (let t = 1; t <= 9; t++) {
        const a = target > paddle ? 2 : target < paddle ? 0 : 1;
        paddle = Math.min(4, Math.max(0, paddle + a - 1));
        const r = env.step(new Int32Array([a]));
        const [row, c, p] = decode(r.finalObs);
        expect([row, c, p]).toEqual([t, col, paddle]);
        expect(r.terminated[0]).toBe(t === 9 ? 1 : 0);
        expect(r.truncated[0]).toBe(0);
        expect(r.reward[0]).toBe(t < 9 ? 0 : paddle === col ? 1 : -1);
        total += r.reward[0] as number;
      }
      expect(total).toBe(episode % 2 === 0 ? 1 : -1);
    }
  });

  it('a uniformly random policy catches about 20% of balls (expected return −0.6)', () => {
    const n = 2000;
    const env = envs.make('Catch-v0', { numEnvs: n, seed: 1 });
    let h = 12345;
    let sum = 0;
    const cols = new Int32Array(5);
    for (let i = 0; i < n; i++) cols[decode(env.obs, 50 * i)[1]]! += 1;
    for (let t = 0; t < 9; t++) {
      const a = Int32Array.from({ length: n }, () => {
        h = (Math.imul(h ^ (h >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
        return h % 3;
      });
      const r = env.step(a);
      for (let i = 0; i < n; i++) sum += r.reward[i] as number;
    }
    // binomial standard error of the mean return: 2·√(0.2·0.8/n) ≈ 0.018
    expect(Math.abs(sum / n + 0.6)).toBeLessThan(0.08);
    // ball columns are uniform: every column gets 400 ± 4σ of 2000
    for (const k of cols) expect(Math.abs(k - 400)).toBeLessThan(72);
  });

  it('has the bsuite spaces and no options of its own', () => {
    const s = envs.spec('Catch-v0');
    expect(s.observationSpace.shape).toEqual([50]);
    expect(s.actionSpace).toEqual({ type: 'discrete', n: 3 });
    expect(() => envs.make('Catch-v0', { swapEvery: 3 })).toThrow(/swapEvery/);
  });
});
