// Navigation2D-v0 (MAML 2D navigation): the twin of native/core/envs/navigation2d.cc.
import { type Actions, type Batch, type Config, type EnvOps, type StepOut, timeLimit } from './env.js';
import { fclip } from './fmath.js';
import { Stream } from './stream.js';

const f = Math.fround;
const MAX_VELOCITY = f(0.1);
const TOLERANCE = f(0.01);

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
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
    const e = (b.elapsed[i] as number) + 1;
    b.elapsed[i] = e;
    out.terminated[i] = Math.abs(dx) < TOLERANCE && Math.abs(dy) < TOLERANCE ? 1 : 0;
    out.truncated[i] = timeLimit(cfg, e);
    out.reward[i] = -f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
  }
}

export function resetAtOrigin(_cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  b.state[i] = 0;
  b.state[b.n + i] = 0;
  obs[2 * i] = 0;
  obs[2 * i + 1] = 0;
}

function sampleTask(_cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void {
  const s = new Stream(k0, k1);
  task[offset] = f(-0.5 + s.uniform());
  task[offset + 1] = f(-0.5 + s.uniform());
}

export const navigation2d: EnvOps = {
  dims: () => ({ state: 2, obs: 2, action: 2, task: 2, discrete: 0 }),
  step,
  reset: resetAtOrigin,
  sampleTask,
};
