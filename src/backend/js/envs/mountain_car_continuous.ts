// MountainCarContinuous-v0: the twin of native/core/envs/mountain_car_continuous.cc.
import { type Actions, type Batch, type Config, type EnvOps, type StepOut, timeLimit } from './env.js';
import { fclip, fcos } from './fmath.js';
import { CAR_GRAVITY, mountainCarMove, mountainCarReset } from './mountain_car.js';

const f = Math.fround;
const POWER = f(0.0015);
const GOAL = f(0.45);
const TENTH = f(0.1);

const xv = new Float64Array(2);
function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  for (let i = begin; i < end; i++) {
    const x0 = b.state[i] as number;
    const v0 = b.state[n + i] as number;
    const a = actions[i] as number;
    const force = fclip(a, -1, 1);
    const v = f(f(v0 + f(force * POWER)) - f(CAR_GRAVITY * fcos(f(3 * x0))));
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
    out.reward[i] = f((done ? 100 : 0) - f(f(a * a) * TENTH));
  }
}

export const mountainCarContinuous: EnvOps = {
  dims: () => ({ state: 2, obs: 2, action: 1, task: 0, discrete: 0 }),
  step,
  reset: mountainCarReset,
};
