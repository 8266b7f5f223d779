// Batched environments over caller-owned buffers: the twin of native/core/envs/env.{h,cc}
// (buffer layout, config and stream conventions are documented there).
import { ENV_KINDS } from '../../kernels/envs.js';
import { derive, FOLD_DOMAIN } from '../rng/philox.js';
import * as twins from './kinds.js';
import type { EnvOps } from './ops.js';

export interface Config {
  /** Position of the env's id in ENV_KINDS. */
  kind: number;
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

// Every kind's twin in ENV_KINDS order (a kind without a twin fails here, at load).
const OPS: readonly EnvOps[] = ENV_KINDS.map((id) => {
  const op = Object.values(twins).find((t) => t.id === id);
  if (op === undefined) throw new Error(`envs: no js twin for ${id} (src/backend/js/envs/kinds.ts)`);
  return op;
});

/** The twin of a parsed config's kind. */
export function opsOf(cfg: Config): EnvOps {
  return OPS[cfg.kind] as EnvOps;
}

/** Reads and checks a config (throws RangeError like the native boundary). */
export function parseConfig(raw: Int32Array): Config {
  if (raw.length !== 4) throw new RangeError(`config: expected length 4, got ${raw.length}`);
  const kind = raw[0] as number;
  const maxSteps = raw[1] as number;
  const p0 = raw[2] as number;
  const p1 = raw[3] as number;
  if (kind < 0 || kind >= OPS.length) throw new RangeError('config[0] (kind): unknown environment kind');
  if (maxSteps < 1) throw new RangeError('config[1] (maxEpisodeSteps): expected an integer >= 1');
  const cfg = { kind, maxSteps, p0, p1 };
  const err = opsOf(cfg).checkConfig?.(cfg);
  if (err !== undefined) throw new RangeError(err);
  return cfg;
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
