// PointRobot-v0 (sparse-reward point robot on a half circle): the twin of native/core/envs/point_robot.cc.
import { type Actions, type Batch, type Config, type EnvOps, type StepOut, timeLimit } from './env.js';
import { fclip, fsincos, PI } from './fmath.js';
import { resetAtOrigin } from './navigation2d.js';
import { Stream } from './stream.js';

const f = Math.fround;
const MAX_VELOCITY = f(0.1);
const GOAL_RADIUS = f(0.2);

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const dense = cfg.p0 === 1;
  for (let i = begin; i < end; i++) {
    const x = f((b.state[i] as number) + fclip(actions[2 * i] as number, -MAX_VELOCITY, MAX_VELOCITY));
    const y = f((b.state[n + i] as number) + fclip(actions[2 * i + 1] as number, -MAX_VELOCITY, MAX_VELOCITY));
    const dx = f(x - (b.tasks[2 * i] as number));
    const dy = f(y - (b.tasks[2 * i + 1] as number));
    const dist = f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
    b.state[i] = x;
    b.state[n + i] = y;
    out.obs[2 * i] = out.finalObs[2 * i] = x;
    out.obs[2 * i + 1] = out.finalObs[2 * i + 1] = y;
    const e = (b.elapsed[i] as number) + 1;
    b.elapsed[i] = e;
    out.terminated[i] = 0;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = dense ? -dist : dist <= GOAL_RADIUS ? 1 : 0;
  }
}

const sc = new Float64Array(2);
function sampleTask(_cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void {
  const s = new Stream(k0, k1);
  fsincos(f(PI * s.uniform()), sc);
  task[offset] = sc[1] as number;
  task[offset + 1] = sc[0] as number;
}

export const pointRobot: EnvOps = {
  dims: () => ({ state: 2, obs: 2, action: 2, task: 2, discrete: 0 }),
  step,
  reset: resetAtOrigin,
  sampleTask,
};
