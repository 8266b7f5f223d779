// Navigation2D-v0 (MAML 2D navigation) and PointRobot-v0 (sparse-reward point robot on a half
// circle): the twin of native/core/envs/navigation2d.cc (one point motion, two goal rules).
import type { Actions, Batch, Config, StepOut } from './env.js';
import { fclip, fsincos, PI } from './fmath.js';
import { type EnvOps, endStep } from './ops.js';
import { Stream } from './stream.js';

const f = Math.fround;
const MAX_VELOCITY = f(0.1);
const TOLERANCE = f(0.01); // Navigation2D-v0
const GOAL_RADIUS = f(0.2); // PointRobot-v0

type Judge<T> = (cfg: Config, dx: number, dy: number) => T;

/** A step that moves every row, then judges its offset (dx, dy) from the goal. */
function mover(terminated: Judge<boolean>, reward: Judge<number>) {
  return (cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void => {
    const n = b.n;
    for (let i = begin; i < end; i++) {
      const x = f((b.state[i] as number) + fclip(actions[2 * i] as number, -MAX_VELOCITY, MAX_VELOCITY));
      const y = f((b.state[n + i] as number) + fclip(actions[2 * i + 1] as number, -MAX_VELOCITY, MAX_VELOCITY));
      const dx = f(x - (b.tasks[2 * i] as number));
      const dy = f(y - (b.tasks[2 * i + 1] as number));
      b.state[i] = x;
      b.state[n + i] = y;
      out.obs[2 * i] = out.finalObs[2 * i] = x;
      out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = y;
      endStep(cfg, b, out, i, terminated(cfg, dx, dy), reward(cfg, dx, dy));
    }
  };
}

const distance = (dx: number, dy: number): number => f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));

function resetAtOrigin(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  b.state[i] = 0;
  b.state[b.n + i] = 0;
  obs[2 * i] = 0;
  obs[2 * i + 1] = 0;
}

export const navigation2d: EnvOps = {
  id: 'Navigation2D-v0',
  dims: () => ({ state: 2, obs: 2, action: 2, task: 2, discrete: 0 }),
  step: mover(
    (_cfg, dx, dy) => Math.abs(dx) < TOLERANCE && Math.abs(dy) < TOLERANCE,
    (_cfg, dx, dy) => -distance(dx, dy),
  ),
  reset: resetAtOrigin,
  sampleTask(_cfg, k0, k1, task, offset) {
    const s = new Stream(k0, k1);
    task[offset] = f(-0.5 + s.uniform());
    task[offset + 1] = f(-0.5 + s.uniform());
  },
};

const sc = new Float64Array(2);
export const pointRobot: EnvOps = {
  id: 'PointRobot-v0',
  dims: () => ({ state: 2, obs: 2, action: 2, task: 2, discrete: 0 }),
  step: mover(
    () => false,
    (cfg, dx, dy) => {
      const dist = distance(dx, dy);
      return cfg.p0 === 1 ? -dist : dist <= GOAL_RADIUS ? 1 : 0;
    },
  ),
  reset: resetAtOrigin,
  sampleTask(_cfg, k0, k1, task, offset) {
    const s = new Stream(k0, k1);
    fsincos(f(PI * s.uniform()), sc);
    task[offset] = sc[1] as number;
    task[offset + 1] = sc[0] as number;
  },
  checkConfig: (cfg) => (cfg.p0 !== 0 && cfg.p0 !== 1 ? 'config[2] (dense): expected 0 or 1' : undefined),
};
