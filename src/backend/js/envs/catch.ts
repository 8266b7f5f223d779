// Catch-v0 (bsuite): the twin of native/core/envs/catch.cc (dynamics documented there).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { drawBlock, type EnvOps, endStep } from './ops.js';

const ROWS = 10;
const COLS = 5;
const blk = new Uint32Array(4);

function writeBoard(ballRow: number, ballCol: number, paddle: number, o: Float32Array, off: number): void {
  o.fill(0, off, off + ROWS * COLS);
  o[off + ballRow * COLS + ballCol] = 1;
  o[off + (ROWS - 1) * COLS + paddle] = 1;
}

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  for (let i = begin; i < end; i++) {
    const ballRow = (b.state[i] as number) + 1;
    const ballCol = b.state[n + i] as number;
    const paddle = Math.min(COLS - 1, Math.max(0, (b.state[2 * n + i] as number) + (actions[i] as number) - 1));
    b.state[i] = ballRow;
    b.state[2 * n + i] = paddle;
    const done = ballRow === ROWS - 1;
    writeBoard(ballRow, ballCol, paddle, out.obs, ROWS * COLS * i);
    writeBoard(ballRow, ballCol, paddle, out.finalObs, ROWS * COLS * i);
    endStep(cfg, b, out, i, done, done ? (paddle === ballCol ? 1 : -1) : 0);
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  // (w >> 8) · 5 < 2^27 is exact in a double, so this floor equals the native integer shift.
  const col = Math.floor(((blk[0] as number) >>> 8) * COLS * 2 ** -24);
  b.state[i] = 0;
  b.state[b.n + i] = col;
  b.state[2 * b.n + i] = COLS >> 1;
  writeBoard(0, col, COLS >> 1, obs, ROWS * COLS * i);
}

export const catchGame: EnvOps = {
  id: 'Catch-v0',
  dims: () => ({ state: 3, obs: ROWS * COLS, action: 1, task: 0, discrete: 3 }),
  step,
  reset,
};
