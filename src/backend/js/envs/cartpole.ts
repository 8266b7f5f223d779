// CartPole-v1: the twin of native/core/envs/cartpole.cc (same float32 operations, same order).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { fsincos } from './fmath.js';
import { drawBlock, type EnvOps, uniformIn } from './ops.js';

const f = Math.fround;
const GRAVITY = f(9.8);
const MASS_POLE = f(0.1);
const TOTAL_MASS = f(1.1);
const LENGTH = f(0.5);
const POLE_MASS_LENGTH = f(0.05);
const FORCE_MAG = f(10);
const TAU = f(0.02);
const THETA_LIMIT = f(0.20943951023931953);
const X_LIMIT = f(2.4);
const FOUR_THIRDS = f(4 / 3);
const LO = f(-0.05);
const HI = f(0.05);

const sc = new Float64Array(2);
const blk = new Uint32Array(4);

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const st = b.state;
  const { obs, finalObs: fin, reward, terminated: term, truncated: trunc } = out;
  const elapsed = b.elapsed;
  const maxSteps = cfg.maxSteps;
  for (let i = begin; i < end; i++) {
    let x = st[i] as number;
    let xd = st[n + i] as number;
    let th = st[2 * n + i] as number;
    let thd = st[3 * n + i] as number;
    const force = actions[i] === 1 ? FORCE_MAG : -FORCE_MAG;
    fsincos(th, sc);
    const s = sc[0] as number;
    const c = sc[1] as number;
    const temp = f(f(force + f(f(f(POLE_MASS_LENGTH * thd) * thd) * s)) / TOTAL_MASS);
    const thacc = f(
      f(f(GRAVITY * s) - f(c * temp)) / f(LENGTH * f(FOUR_THIRDS - f(f(f(MASS_POLE * c) * c) / TOTAL_MASS))),
    );
    const xacc = f(temp - f(f(f(POLE_MASS_LENGTH * thacc) * c) / TOTAL_MASS));
    x = f(x + f(TAU * xd));
    xd = f(xd + f(TAU * xacc));
    th = f(th + f(TAU * thd));
    thd = f(thd + f(TAU * thacc));
    st[i] = x;
    st[n + i] = xd;
    st[2 * n + i] = th;
    st[3 * n + i] = thd;
    const o = 4 * i;
    obs[o] = fin[o] = x;
    obs[o + 1] = fin[o + 1] = xd;
    obs[o + 2] = fin[o + 2] = th;
    obs[o + 3] = fin[o + 3] = thd;
    const e = (elapsed[i] as number) + 1;
    elapsed[i] = e;
    term[i] = x < -X_LIMIT || x > X_LIMIT || th < -THETA_LIMIT || th > THETA_LIMIT ? 1 : 0;
    trunc[i] = e >= maxSteps ? 1 : 0;
    reward[i] = 1;
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  for (let c = 0; c < 4; c++) {
    const v = uniformIn(blk[c] as number, LO, HI);
    b.state[c * b.n + i] = v;
    obs[4 * i + c] = v;
  }
}

export const cartpole: EnvOps = {
  id: 'CartPole-v1',
  dims: () => ({ state: 4, obs: 4, action: 1, task: 0, discrete: 2 }),
  step,
  reset,
};
