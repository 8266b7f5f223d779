// Batched environments over caller-owned buffers: the twin of native/core/envs/env.{h,cc}
// (buffer layout, config and stream conventions are documented there).
import { derive, FOLD_DOMAIN, philoxBlock } from '../rng/philox.js';

export enum Kind {
  CartPole = 0,
  Acrobot = 1,
  MountainCar = 2,
  MountainCarContinuous = 3,
  Pendulum = 4,
  Bandit = 5,
  TabularMdp = 6,
  Navigation2D = 7,
  PointRobot = 8,
}
export const NUM_KINDS = 9;

export interface Config {
  kind: Kind;
  maxSteps: number;
  p0: number;
  p1: number;
}

export interface Dims {
  state: number;
  obs: number;
  action: number;
  task: number;
  /** Number of discrete actions, 0 for box actions. */
  discrete: number;
}

export interface Batch {
  n: number;
  state: Float32Array;
  tasks: Float32Array;
  elapsed: Int32Array;
  rng: Uint32Array;
}

export interface StepOut {
  obs: Float32Array;
  reward: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  finalObs: Float32Array;
}

export type Actions = Int32Array | Float32Array;

export interface EnvOps {
  dims(cfg: Config): Dims;
  step(cfg: Config, b: Batch, actions: Actions, out: StepOut, begin: number, end: number): void;
  reset(cfg: Config, b: Batch, obs: Float32Array, row: number): void;
  /** Writes one task at task[offset..] from the stream with key (k0, k1); absent when taskDim is 0. */
  sampleTask?(cfg: Config, k0: number, k1: number, task: Float32Array, offset: number): void;
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

/** Reads and checks a config (throws RangeError like the native boundary). */
export function parseConfig(raw: Int32Array): Config {
  if (raw.length !== 4) throw new RangeError(`config: expected length 4, got ${raw.length}`);
  const kind = raw[0] as number;
  const maxSteps = raw[1] as number;
  const p0 = raw[2] as number;
  const p1 = raw[3] as number;
  if (kind < 0 || kind >= NUM_KINDS) throw new RangeError('config[0] (kind): unknown environment kind');
  if (maxSteps < 1) throw new RangeError('config[1] (maxEpisodeSteps): expected an integer >= 1');
  if (kind === Kind.Bandit && (p0 < 2 || p0 > 1024))
    throw new RangeError('config[2] (arms): expected an integer in [2, 1024]');
  if (kind === Kind.TabularMdp) {
    if (p0 < 1 || p0 > 64) throw new RangeError('config[2] (states): expected an integer in [1, 64]');
    if (p1 < 1 || p1 > 64) throw new RangeError('config[3] (actions): expected an integer in [1, 64]');
  }
  if (kind === Kind.PointRobot && p0 !== 0 && p0 !== 1) throw new RangeError('config[2] (dense): expected 0 or 1');
  return { kind, maxSteps, p0, p1 };
}

/** Row keys: key_i = fold(key, i), counters 0. */
export function seedRows(key: Uint32Array, rng: Uint32Array): void {
  const k = new Uint32Array(2);
  const n = rng.length >>> 2;
  for (let i = 0; i < n; i++) {
    derive(key[0] as number, key[1] as number, i, FOLD_DOMAIN, k);
    rng[4 * i] = k[0] as number;
    rng[4 * i + 1] = k[1] as number;
    rng[4 * i + 2] = 0;
    rng[4 * i + 3] = 0;
  }
}

export function resetAll(op: EnvOps, cfg: Config, b: Batch, obs: Float32Array): void {
  for (let i = 0; i < b.n; i++) {
    b.elapsed[i] = 0;
    op.reset(cfg, b, obs, i);
  }
}

/**
 * One step of rows [begin, end) with same-step autoreset. (Native lists the ended rows first and
 * resets CartPole's in a batch; rows are independent, so the results are the same.)
 */
export function stepRange(
  op: EnvOps,
  cfg: Config,
  b: Batch,
  actions: Actions,
  out: StepOut,
  begin: number,
  end: number,
): void {
  op.step(cfg, b, actions, out, begin, end);
  const term = out.terminated;
  const trunc = out.truncated;
  for (let i = begin; i < end; i++) {
    if ((term[i] as number) | (trunc[i] as number)) {
      b.elapsed[i] = 0;
      op.reset(cfg, b, out.obs, i);
    }
  }
}

/** Index of the first invalid action (discrete out of range, box NaN), or -1. */
export function firstInvalidAction(d: Dims, actions: Actions): number {
  if (d.discrete > 0) {
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i] as number;
      if (a < 0 || a >= d.discrete) return i;
    }
  } else {
    for (let i = 0; i < actions.length; i++) if (Number.isNaN(actions[i])) return i;
  }
  return -1;
}
