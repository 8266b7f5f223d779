// Snake-v0 (Jumanji's Snake on a 6 x 6 board): the twin of native/core/envs/snake.cc (rules,
// sources and the state and observation layouts documented there).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { drawBlock, type EnvOps, endStep } from './ops.js';

const SIZE = 6;
const CELLS = SIZE * SIZE;
const OBS = 5 * CELLS;
const ORDER = 3; // state component of cell 0's body order
const MOVE_ROW = [-1, 0, 1, 0];
const MOVE_COL = [0, 1, 0, -1];
const blk = new Uint32Array(4);

/** An exact uniform integer in [0, k) from the top 24 bits of a word ((w >> 8)·k < 2^30 is exact). */
function below(w: number, k: number): number {
  return Math.floor((w >>> 8) * k * 2 ** -24);
}

/** The j-th empty cell (row-major) of row i. */
function freeCell(s: Float32Array, n: number, i: number, j: number): number {
  for (let c = 0; c < CELLS; c++) {
    if (s[(ORDER + c) * n + i] !== 0) continue;
    if (j-- === 0) return c;
  }
  return -1;
}

function writeObs(s: Float32Array, n: number, i: number, o: Float32Array, off: number): void {
  const length = s[2 * n + i] as number;
  const head = s[i] as number;
  const fruit = s[n + i] as number;
  for (let c = 0; c < CELLS; c++) {
    const order = s[(ORDER + c) * n + i] as number;
    o[off + c] = order > 0 ? 1 : 0;
    o[off + CELLS + c] = c === head ? 1 : 0;
    o[off + 2 * CELLS + c] = order === 1 ? 1 : 0;
    o[off + 3 * CELLS + c] = c === fruit ? 1 : 0;
    // a quotient of small integers rounded once to float32 (correctly rounded, like the native float division)
    o[off + 4 * CELLS + c] = order / length;
  }
}

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const s = b.state;
  for (let i = begin; i < end; i++) {
    const head = s[i] as number;
    const a = actions[i] as number;
    const r = Math.floor(head / SIZE) + (MOVE_ROW[a] as number);
    const c = (head % SIZE) + (MOVE_COL[a] as number);
    const to = r * SIZE + c;
    let dead = r < 0 || r >= SIZE || c < 0 || c >= SIZE || (s[(ORDER + to) * n + i] as number) >= 2;
    let reward = 0;
    if (!dead) {
      let length = s[2 * n + i] as number;
      const eats = to === s[n + i];
      if (eats) {
        length += 1;
        reward = 1;
      } else {
        for (let k = 0; k < CELLS; k++) {
          const o = (ORDER + k) * n + i;
          if ((s[o] as number) > 0) s[o] = (s[o] as number) - 1;
        }
      }
      s[(ORDER + to) * n + i] = length;
      s[i] = to;
      s[2 * n + i] = length;
      if (length === CELLS) {
        dead = true; // the board is full: no fruit left to place
      } else if (eats) {
        drawBlock(b.rng, i, blk);
        s[n + i] = freeCell(s, n, i, below(blk[0] as number, CELLS - length));
      }
    }
    writeObs(s, n, i, out.obs, OBS * i);
    writeObs(s, n, i, out.finalObs, OBS * i);
    endStep(cfg, b, out, i, dead, reward);
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  const n = b.n;
  const s = b.state;
  drawBlock(b.rng, i, blk);
  for (let c = 0; c < CELLS; c++) s[(ORDER + c) * n + i] = 0;
  const head = below(blk[0] as number, CELLS);
  s[(ORDER + head) * n + i] = 1;
  s[i] = head;
  s[n + i] = freeCell(s, n, i, below(blk[1] as number, CELLS - 1));
  s[2 * n + i] = 1;
  writeObs(s, n, i, obs, OBS * i);
}

export const snake: EnvOps = {
  id: 'Snake-v0',
  dims: () => ({ state: ORDER + CELLS, obs: OBS, action: 1, task: 0, discrete: 4 }),
  step,
  reset,
};
