// What an environment twin implements (its EnvOps, listed in kinds.ts) and the per-row helpers the
// twins share: the twin of native/core/envs/ops.h.
import type { EnvId } from '../../kernels/envs.js';
import { philoxBlock } from '../rng/philox.js';
import type { Actions, Batch, Config, Dims, StepOut } from './env.js';

/** One environment kind: the twin of its native file's EnvOps. */
export interface EnvOps {
  /** The env's id, as listed in ENV_KINDS (its position there is its kind number). */
  readonly id: EnvId;
  dims(cfg: Config): Dims;
  step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void;
  reset(cfg: Config, b: Batch, obs: Float32Array, row: number): void;
  /** Writes one task at task[offset..] from the stream with key (k0, k1); absent when taskDim is 0. */
  sampleTask?(cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void;
  /** What is wrong with config[2..3] (p0, p1), or undefined; absent when the kind reads neither. */
  checkConfig?(cfg: Config): string | undefined;
}

/** The next block of row i's stream into out[0..3]; advances the row's 64-bit counter. */
export function drawBlock(rng: Uint32Array, i: number, out: Uint32Array): void {
  const o = 4 * i;
  const lo = rng[o + 2] as number;
  const hi = rng[o + 3] as number;
  philoxBlock(rng[o] as number, rng[o + 1] as number, lo, hi, 0, 0, out, 0);
  const next = (lo + 1) >>> 0;
  rng[o + 2] = next;
  if (next === 0) rng[o + 3] = (hi + 1) >>> 0;
}

const INV_2_24 = 1 / 16777216;
/** Uniform in [0, 1) from one word (exact in float32). */
export function toUniform(w: number): number {
  return (w >>> 8) * INV_2_24;
}
/** lo + (hi - lo) * u in float32, lo and hi float32 values. */
export function uniformIn(w: number, lo: number, hi: number): number {
  return Math.fround(lo + Math.fround(Math.fround(hi - lo) * toUniform(w)));
}

/** Gymnasium's TimeLimit flag after elapsed was incremented. */
export function timeLimit(cfg: Config, elapsed: number): number {
  return elapsed >= cfg.maxSteps ? 1 : 0;
}

/** The end of row i's step under Gymnasium's TimeLimit: counts the step, writes flags and reward. */
export function endStep(cfg: Config, b: Batch, out: StepOut, i: number, terminated: boolean, reward: number): void {
  const e = (b.elapsed[i] as number) + 1;
  b.elapsed[i] = e;
  out.terminated[i] = terminated ? 1 : 0;
  out.truncated[i] = timeLimit(cfg, e);
  out.reward[i] = reward;
}

/** The same when the episode length is part of the task: the trial's last step terminates. */
export function endTrialStep(cfg: Config, b: Batch, out: StepOut, i: number, reward: number): void {
  const e = (b.elapsed[i] as number) + 1;
  b.elapsed[i] = e;
  out.terminated[i] = timeLimit(cfg, e);
  out.truncated[i] = 0;
  out.reward[i] = reward;
}
