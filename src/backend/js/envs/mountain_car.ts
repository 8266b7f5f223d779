// MountainCar-v0: the twin of native/core/envs/mountain_car.{h,cc} (also the shared track).
import {
  type Actions,
  type Batch,
  type Config,
  drawBlock,
  type EnvOps,
  type StepOut,
  timeLimit,
  uniformIn,
} from './env.js';
import { fclip, fcos } from './fmath.js';

const f = Math.fround;
export const CAR_MIN_POSITION = f(-1.2);
export const CAR_MAX_POSITION = f(0.6);
export const CAR_MAX_SPEED = f(0.07);
export const CAR_GRAVITY = f(0.0025);
const FORCE = f(0.001);
const GOAL = f(0.5);
const LO = f(-0.6);
const HI = f(-0.4);

/** Clips v, moves, clips x, stops at the left wall; writes [x, v] into xv. */
export function mountainCarMove(x: number, v: number, xv: Float64Array): void {
  let vv = fclip(v, -CAR_MAX_SPEED, CAR_MAX_SPEED);
  const xx = fclip(f(x + vv), CAR_MIN_POSITION, CAR_MAX_POSITION);
  if (xx === CAR_MIN_POSITION && vv < 0) vv = 0;
  xv[0] = xx;
  xv[1] = vv;
}

const blk = new Uint32Array(4);
export function mountainCarReset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  const x = uniformIn(blk[0] as number, LO, HI);
  b.state[i] = x;
  b.state[b.n + i] = 0;
  obs[2 * i] = x;
  obs[2 * i + 1] = 0;
}

const xv = new Float64Array(2);
function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  for (let i = begin; i < end; i++) {
    const x0 = b.state[i] as number;
    const v0 = b.state[n + i] as number;
    const v = f(f(v0 + f(((actions[i] as number) - 1) * FORCE)) + f(fcos(f(3 * x0)) * -CAR_GRAVITY));
    mountainCarMove(x0, v, xv);
    const x = xv[0] as number;
    const vv = xv[1] as number;
    b.state[i] = x;
    b.state[n + i] = vv;
    out.obs[2 * i] = out.finalObs[2 * i] = x;
    out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = vv;
    const done = x >= GOAL && vv >= 0 ? 1 : 0;
    const e = (b.elapsed[i] as number) + 1;
    b.elapsed[i] = e;
    out.terminated[i] = done;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = -1;
  }
}

export const mountainCar: EnvOps = {
  dims: () => ({ state: 2, obs: 2, action: 1, task: 0, discrete: 3 }),
  step,
  reset: mountainCarReset,
};
