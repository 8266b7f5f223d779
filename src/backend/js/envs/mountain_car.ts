// MountainCar-v0 and MountainCarContinuous-v0: the twin of native/core/envs/mountain_car.cc (one
// track; the two differ in the push, the goal and the reward).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { fclip, fcos } from './fmath.js';
import { drawBlock, type EnvOps, endStep, uniformIn } from './ops.js';

const f = Math.fround;
const MIN_POSITION = f(-1.2);
const MAX_POSITION = f(0.6);
const MAX_SPEED = f(0.07);
const GRAVITY = f(0.0025);
const FORCE = f(0.001); // MountainCar-v0
const POWER = f(0.0015); // MountainCarContinuous-v0
const DISCRETE_GOAL = f(0.5);
const CONTINUOUS_GOAL = f(0.45);
const TENTH = f(0.1);
const LO = f(-0.6);
const HI = f(-0.4);

function stepper(continuous: boolean) {
  const goal = continuous ? CONTINUOUS_GOAL : DISCRETE_GOAL;
  return (cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void => {
    const n = b.n;
    for (let i = begin; i < end; i++) {
      let x = b.state[i] as number;
      let v = b.state[n + i] as number;
      const a = continuous ? (actions[i] as number) : (actions[i] as number) - 1;
      const push = continuous ? f(fclip(a, -1, 1) * POWER) : f(a * FORCE);
      v = fclip(f(f(v + push) - f(GRAVITY * fcos(f(3 * x)))), -MAX_SPEED, MAX_SPEED);
      x = fclip(f(x + v), MIN_POSITION, MAX_POSITION);
      if (x === MIN_POSITION && v < 0) v = 0;
      b.state[i] = x;
      b.state[n + i] = v;
      out.obs[2 * i] = out.finalObs[2 * i] = x;
      out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = v;
      const done = x >= goal && v >= 0;
      endStep(cfg, b, out, i, done, continuous ? f((done ? 100 : 0) - f(f(a * a) * TENTH)) : -1);
    }
  };
}

const blk = new Uint32Array(4);
function reset(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  drawBlock(b.rng, i, blk);
  const x = uniformIn(blk[0] as number, LO, HI);
  b.state[i] = x;
  b.state[b.n + i] = 0;
  obs[2 * i] = x;
  obs[2 * i + 1] = 0;
}

export const mountainCar: EnvOps = {
  id: 'MountainCar-v0',
  dims: () => ({ state: 2, obs: 2, action: 1, task: 0, discrete: 3 }),
  step: stepper(false),
  reset,
};

export const mountainCarContinuous: EnvOps = {
  id: 'MountainCarContinuous-v0',
  dims: () => ({ state: 2, obs: 2, action: 1, task: 0, discrete: 0 }),
  step: stepper(true),
  reset,
};
