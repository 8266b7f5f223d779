// TwoColorGrid-v0 (non-stationary two-colour grid world of BMG): the twin of
// native/core/envs/two_color_grid.cc (dynamics and sources documented there).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { drawBlock, type EnvOps, endStep } from './ops.js';

const SIZE = 5;
const CELLS = SIZE * SIZE;
const OBS = 6 * SIZE;
const blk = new Uint32Array(4);

/** An exact uniform integer in [0, k) from the top 24 bits of a word ((w >> 8)·k < 2^29 is exact). */
function below(w: number, k: number): number {
  return Math.floor((w >>> 8) * k * 2 ** -24);
}

/** The j-th cell (row-major) that is neither a nor b. */
function freeCell(j: number, a: number, b: number): number {
  for (let c = 0; c < CELLS; c++) {
    if (c === a || c === b) continue;
    if (j-- === 0) return c;
  }
  return -1;
}

function writeObs(s: Float32Array, n: number, i: number, o: Float32Array, off: number): void {
  o.fill(0, off, off + OBS);
  for (let e = 0; e < 3; e++) {
    o[off + 2 * SIZE * e + (s[2 * e * n + i] as number)] = 1;
    o[off + 2 * SIZE * e + SIZE + (s[(2 * e + 1) * n + i] as number)] = 1;
  }
}

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const s = b.state;
  for (let i = begin; i < end; i++) {
    let r = s[i] as number;
    let c = s[n + i] as number;
    const a = actions[i] as number;
    if (a === 0 && r > 0) r--;
    if (a === 1 && r < SIZE - 1) r++;
    if (a === 2 && c > 0) c--;
    if (a === 3 && c < SIZE - 1) c++;
    s[i] = r;
    s[n + i] = c;
    const agent = r * SIZE + c;
    const swapped = Math.floor((b.elapsed[i] as number) / cfg.p0) % 2 === 1;
    let reward = -0.04;
    for (let e = 1; e < 3; e++) {
      const cell = (s[2 * e * n + i] as number) * SIZE + (s[(2 * e + 1) * n + i] as number);
      if (cell !== agent) continue;
      reward = (e === 1) !== swapped ? 1 : -1;
      const o = 3 - e;
      const other = (s[2 * o * n + i] as number) * SIZE + (s[(2 * o + 1) * n + i] as number);
      drawBlock(b.rng, i, blk);
      const to = freeCell(below(blk[0] as number, CELLS - 2), agent, other);
      s[2 * e * n + i] = Math.floor(to / SIZE);
      s[(2 * e + 1) * n + i] = to % SIZE;
    }
    writeObs(s, n, i, out.obs, OBS * i);
    writeObs(s, n, i, out.finalObs, OBS * i);
    endStep(cfg, b, out, i, false, Math.fround(reward));
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  const n = b.n;
  drawBlock(b.rng, i, blk);
  const agent = below(blk[0] as number, CELLS);
  const blue = freeCell(below(blk[1] as number, CELLS - 1), agent, agent);
  const red = freeCell(below(blk[2] as number, CELLS - 2), agent, blue);
  const cells = [agent, blue, red];
  for (let e = 0; e < 3; e++) {
    b.state[2 * e * n + i] = Math.floor((cells[e] as number) / SIZE);
    b.state[(2 * e + 1) * n + i] = (cells[e] as number) % SIZE;
  }
  writeObs(b.state, n, i, obs, OBS * i);
}

function checkConfig(cfg: Config): string | undefined {
  return cfg.p0 < 1 ? 'config[2] (swapEvery): expected a positive integer' : undefined;
}

export const twoColorGrid: EnvOps = {
  id: 'TwoColorGrid-v0',
  dims: () => ({ state: 6, obs: OBS, action: 1, task: 0, discrete: 4 }),
  step,
  reset,
  checkConfig,
};
