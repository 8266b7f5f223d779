// TabularMDP-v0 (RL^2): the twin of native/core/envs/tabular_mdp.cc.
import type { Actions, Batch, Config, StepOut } from './env.js';
import { drawBlock, type EnvOps, endTrialStep, toUniform } from './ops.js';
import { boxMuller0, Stream } from './stream.js';

const f = Math.fround;
const blk = new Uint32Array(4);

function writeObs(numStates: number, s: number, o: Float32Array, off: number): void {
  o.fill(0, off, off + numStates);
  o[off + s] = 1;
}

function step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void {
  const S = cfg.p0;
  const A = cfg.p1;
  const taskDim = S * A * S + S * A;
  const tasks = b.tasks;
  for (let i = begin; i < end; i++) {
    const t = i * taskDim;
    const sf = b.state[i] as number;
    const s = sf >= 0 && sf < S ? Math.floor(sf) : 0;
    const a = actions[i] as number;
    drawBlock(b.rng, i, blk);
    const u = toUniform(blk[0] as number);
    const p = t + (s * A + a) * S;
    let next = S - 1;
    let cum = 0;
    for (let j = 0; j < S; j++) {
      cum = f(cum + (tasks[p + j] as number));
      if (u < cum) {
        next = j;
        break;
      }
    }
    const z0 = f(boxMuller0(blk[2] as number, blk[3] as number));
    const r = f((tasks[t + S * A * S + s * A + a] as number) + z0);
    b.state[i] = next;
    writeObs(S, next, out.obs, S * i);
    writeObs(S, next, out.finalObs, S * i);
    endTrialStep(cfg, b, out, i, r);
  }
}

function reset(cfg: Config, b: Batch, obs: Float32Array, i: number): void {
  b.state[i] = 0;
  writeObs(cfg.p0, 0, obs, cfg.p0 * i);
}

function checkConfig(cfg: Config): string | undefined {
  if (cfg.p0 < 1 || cfg.p0 > 64) return 'config[2] (states): expected an integer in [1, 64]';
  if (cfg.p1 < 1 || cfg.p1 > 64) return 'config[3] (actions): expected an integer in [1, 64]';
  return undefined;
}

function sampleTask(cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void {
  const S = cfg.p0;
  const A = cfg.p1;
  const st = new Stream(k0, k1);
  for (let row = 0; row < S * A; row++) {
    const p = offset + row * S;
    let total = 0;
    for (let j = 0; j < S; j++) {
      const e = st.exponential();
      task[p + j] = e;
      total = f(total + e);
    }
    for (let j = 0; j < S; j++) task[p + j] = f((task[p + j] as number) / total);
  }
  const means = offset + S * A * S;
  for (let j = 0; j < S * A; j++) task[means + j] = f(1 + st.normal());
}

export const tabularMdp: EnvOps = {
  id: 'TabularMDP-v0',
  dims: (cfg) => ({
    state: 1,
    obs: cfg.p0,
    action: 1,
    task: cfg.p0 * cfg.p1 * cfg.p0 + cfg.p0 * cfg.p1,
    discrete: cfg.p1,
  }),
  step,
  reset,
  sampleTask,
  checkConfig,
};
