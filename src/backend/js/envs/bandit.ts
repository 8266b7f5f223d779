// Bandit-v0 (k-armed Bernoulli or Gaussian bandit, RL^2): the twin of native/core/envs/bandit.cc.
import type { Actions, Batch, Config, StepOut } from './env.js';
import { drawBlock, type EnvOps, endTrialStep, toUniform } from './ops.js';
import { boxMuller0, Stream } from './stream.js';

const blk = new Uint32Array(4);

function writeObs(k: number, last: number, r: number, o: Float32Array, off: number): void {
  o.fill(0, off, off + k);
  if (last >= 0) o[off + last] = 1;
  o[off + k] = r;
}

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const n = b.n;
  const k = cfg.p0;
  for (let i = begin; i < end; i++) {
    const a = actions[i] as number;
    drawBlock(b.rng, i, blk);
    const arm = b.tasks[i * k + a] as number;
    const r =
      cfg.p1 === 1
        ? Math.fround(arm + Math.fround(boxMuller0(blk[2] as number, blk[3] as number)))
        : toUniform(blk[0] as number) < arm
          ? 1
          : 0;
    b.state[i] = a;
    b.state[n + i] = r;
    writeObs(k, a, r, out.obs, (k + 1) * i);
    writeObs(k, a, r, out.finalObs, (k + 1) * i);
    endTrialStep(cfg, b, out, i, r);
  }
}

function reset(cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  b.state[i] = -1;
  b.state[b.n + i] = 0;
  writeObs(cfg.p0, -1, 0, obs, (cfg.p0 + 1) * i);
}

function checkConfig(cfg: Config): string | undefined {
  if (cfg.p0 < 2 || cfg.p0 > 1024) return 'config[2] (arms): expected an integer in [2, 1024]';
  return cfg.p1 !== 0 && cfg.p1 !== 1 ? 'config[3] (rewards): expected 0 (Bernoulli) or 1 (Gaussian)' : undefined;
}

function sampleTask(cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void {
  const s = new Stream(k0, k1);
  for (let j = 0; j < cfg.p0; j++) task[offset + j] = cfg.p1 === 1 ? s.normal() : s.uniform();
}

export const bandit: EnvOps = {
  id: 'Bandit-v0',
  dims: (cfg) => ({ state: 2, obs: cfg.p0 + 1, action: 1, task: cfg.p0, discrete: cfg.p0 }),
  step,
  reset,
  sampleTask,
  checkConfig,
};
