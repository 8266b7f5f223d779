// Acrobot-v1 (book dynamics, RK4): the twin of native/core/envs/acrobot.cc.
import type { Actions, Batch, Config, StepOut } from './env.js';
import { fclip, fcos, fsin, fsincos, PI } from './fmath.js';
import { drawBlock, type EnvOps, endStep, uniformIn } from './ops.js';

const f = Math.fround;
const DT = f(0.2);
const M1 = 1;
const M2 = 1;
const L1 = 1;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1;
const I2 = 1;
const G = f(9.8);
const HALF_PI = f(1.5707963267948966);
const MAX_VEL_1 = f(12.566370614359172);
const MAX_VEL_2 = f(28.274333882308138);
const HALF_DT = f(DT / 2);
const SIXTH_DT = f(DT / 6);
const LO = f(-0.1);
const HI = f(0.1);

function derivs(a: number, s: Float32Array, ds: Float32Array): void {
  const t1 = s[0] as number;
  const t2 = s[1] as number;
  const dt1 = s[2] as number;
  const dt2 = s[3] as number;
  const d1 = f(
    f(f(f(f(M1 * LC1) * LC1) + f(M2 * f(f(f(L1 * L1) + f(LC2 * LC2)) + f(f(f(2 * L1) * LC2) * fcos(t2))))) + I1) + I2,
  );
  const d2 = f(f(M2 * f(f(LC2 * LC2) + f(f(L1 * LC2) * fcos(t2)))) + I2);
  const phi2 = f(f(f(M2 * LC2) * G) * fcos(f(f(t1 + t2) - HALF_PI)));
  // ((A - B) + C) + phi2, as the C++ expression groups it.
  const a1 = f(f(f(f(f(-M2 * L1) * LC2) * dt2) * dt2) * fsin(t2));
  const b1 = f(f(f(f(f(2 * M2 * L1) * LC2) * dt2) * dt1) * fsin(t2));
  const c1 = f(f(f(f(M1 * LC1) + f(M2 * L1)) * G) * fcos(f(t1 - HALF_PI)));
  const phi1 = f(f(f(a1 - b1) + c1) + phi2);
  const ddt2 = f(
    f(f(f(a + f(f(d2 / d1) * phi1)) - f(f(f(f(f(M2 * L1) * LC2) * dt1) * dt1) * fsin(t2))) - phi2) /
      f(f(f(f(M2 * LC2) * LC2) + I2) - f(f(d2 * d2) / d1)),
  );
  const ddt1 = f(-f(f(f(d2 * ddt2) + phi1) / d1));
  ds[0] = dt1;
  ds[1] = dt2;
  ds[2] = ddt1;
  ds[3] = ddt2;
}

function wrap(x: number, lo: number, hi: number): number {
  const diff = f(hi - lo);
  while (x > hi) x = f(x - diff);
  while (x < lo) x = f(x + diff);
  return x;
}

const sc = new Float64Array(2);
function writeObs(s: Float32Array, o: Float32Array, off: number): void {
  fsincos(s[0] as number, sc);
  o[off] = sc[1] as number;
  o[off + 1] = sc[0] as number;
  fsincos(s[1] as number, sc);
  o[off + 2] = sc[1] as number;
  o[off + 3] = sc[0] as number;
  o[off + 4] = s[2] as number;
  o[off + 5] = s[3] as number;
}

const y0 = new Float32Array(4);
const k1 = new Float32Array(4);
const k2 = new Float32Array(4);
const k3 = new Float32Array(4);
const k4 = new Float32Array(4);
const y = new Float32Array(4);
const blk = new Uint32Array(4);

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  for (let i = begin; i < end; i++) {
    const a = (actions[i] as number) - 1;
    for (let c = 0; c < 4; c++) y0[c] = b.state[c * n + i] as number;
    derivs(a, y0, k1);
    for (let c = 0; c < 4; c++) y[c] = f((y0[c] as number) + f(HALF_DT * (k1[c] as number)));
    derivs(a, y, k2);
    for (let c = 0; c < 4; c++) y[c] = f((y0[c] as number) + f(HALF_DT * (k2[c] as number)));
    derivs(a, y, k3);
    for (let c = 0; c < 4; c++) y[c] = f((y0[c] as number) + f(DT * (k3[c] as number)));
    derivs(a, y, k4);
    for (let c = 0; c < 4; c++) {
      const sum = f(f(f((k1[c] as number) + f(2 * (k2[c] as number))) + f(2 * (k3[c] as number))) + (k4[c] as number));
      y[c] = f((y0[c] as number) + f(SIXTH_DT * sum));
    }
    y[0] = wrap(y[0] as number, -PI, PI);
    y[1] = wrap(y[1] as number, -PI, PI);
    y[2] = fclip(y[2] as number, -MAX_VEL_1, MAX_VEL_1);
    y[3] = fclip(y[3] as number, -MAX_VEL_2, MAX_VEL_2);
    for (let c = 0; c < 4; c++) b.state[c * n + i] = y[c] as number;
    writeObs(y, out.obs, 6 * i);
    writeObs(y, out.finalObs, 6 * i);
    const done = f(-fcos(y[0] as number) - fcos(f((y[1] as number) + (y[0] as number)))) > 1;
    endStep(cfg, b, out, i, done, done ? 0 : -1);
  }
}

function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  for (let c = 0; c < 4; c++) {
    y[c] = uniformIn(blk[c] as number, LO, HI);
    b.state[c * b.n + i] = y[c] as number;
  }
  writeObs(y, obs, 6 * i);
}

export const acrobot: EnvOps = {
  id: 'Acrobot-v1',
  dims: () => ({ state: 4, obs: 6, action: 1, task: 0, discrete: 3 }),
  step,
  reset,
};
