// Pendulum-v1: the twin of native/core/envs/pendulum.cc.
import type { Actions, Batch, Config, StepOut } from './env.js';
import { fclip, fsincos, PI } from './fmath.js';
import { drawBlock, type EnvOps, uniformIn } from './ops.js';

const f = Math.fround;
const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = f(0.05);
const G = 10;
const M = 1;
const L = 1;
const TWO_PI = f(6.283185307179586);
const TENTH = f(0.1);
const THOUSANDTH = f(0.001);
const GRAV_TERM = f(f(3 * G) / f(2 * L));
const TORQUE_TERM = f(3 / f(f(M * L) * L));

function angleNormalize(x: number): number {
  const t = f(x + PI);
  return f(f(t - f(TWO_PI * Math.floor(f(t / TWO_PI)))) - PI);
}

const sc = new Float64Array(2);
const blk = new Uint32Array(4);

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const st = b.state;
  const { obs, finalObs: fin, reward, terminated: term, truncated: trunc } = out;
  const maxSteps = cfg.maxSteps;
  for (let i = begin; i < end; i++) {
    const th = st[i] as number;
    const thd = st[n + i] as number;
    const u = fclip(actions[i] as number, -MAX_TORQUE, MAX_TORQUE);
    const nth = angleNormalize(th);
    const cost = f(f(f(nth * nth) + f(TENTH * f(thd * thd))) + f(THOUSANDTH * f(u * u)));
    fsincos(th, sc);
    let nthd = f(thd + f(f(f(GRAV_TERM * (sc[0] as number)) + f(TORQUE_TERM * u)) * DT));
    nthd = fclip(nthd, -MAX_SPEED, MAX_SPEED);
    const newTh = f(th + f(nthd * DT));
    st[i] = newTh;
    st[n + i] = nthd;
    fsincos(newTh, sc);
    const o = 3 * i;
    obs[o] = fin[o] = sc[1] as number;
    obs[o + 1] = fin[o + 1] = sc[0] as number;
    obs[o + 2] = fin[o + 2] = nthd;
    const e = (b.elapsed[i] as number) + 1;
    b.elapsed[i] = e;
    term[i] = 0;
    trunc[i] = e >= maxSteps ? 1 : 0;
    reward[i] = -cost;
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  const th = uniformIn(blk[0] as number, -PI, PI);
  const thd = uniformIn(blk[1] as number, -1, 1);
  b.state[i] = th;
  b.state[b.n + i] = thd;
  fsincos(th, sc);
  obs[3 * i] = sc[1] as number;
  obs[3 * i + 1] = sc[0] as number;
  obs[3 * i + 2] = thd;
}

export const pendulum: EnvOps = {
  id: 'Pendulum-v1',
  dims: () => ({ state: 2, obs: 3, action: 1, task: 0, discrete: 0 }),
  step,
  reset,
};
