// VeLO's "steps Adam needs" metric (Metz et al. 2022, Fig. 1) with learned_optimization's normalizer
// (baselines/normalizers.py): Adam curves over a learning-rate grid, repeats averaged, the pointwise
// minimum over learning rates (lower envelope), then a running minimum; a loss maps to the first
// (linearly interpolated) step at which that envelope reaches it. Speed-up = steps / horizon.
// The reference also EMA-smooths 100K-step curves (α = 0.95) before the envelope; on the ≤ 10³-step
// curves here a 20-step EMA lag would be a large handicap for Adam, so it is left out.
import { adam } from '../optim/index.js';
import type { Optimizer } from '../optim/types.js';
import { fold, type Key, key as keyOf } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import type { Task } from './types.js';

/** The 7-point log grid 1e-3 … 1 (half decades) used for the Adam baseline. */
export const ADAM_LRS: readonly number[] = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

/** Losses before step 0, 1, …, and after the last step (steps + 1 values); non-finite → +∞. */
export function lossCurve(opt: Optimizer, task: Task, steps: number): Float64Array {
  const p = task.init();
  const s = opt.init(p);
  const out = new Float64Array(steps + 1);
  for (let t = 0; t < steps; t++) {
    const { value, grad } = task.lossAndGrad(p);
    out[t] = Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
    opt.step(p, grad, s, { loss: value });
  }
  const v = task.lossAndGrad(p).value;
  out[steps] = Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  return out;
}

/** Pointwise minimum over curves of equal length, then a running minimum over steps. */
export function lowerEnvelope(curves: readonly ArrayLike<number>[]): Float64Array {
  if (curves.length === 0) throw new RangeError('learned.lowerEnvelope: curves: expected at least one curve');
  const n = (curves[0] as ArrayLike<number>).length;
  const env = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (const [j, c] of curves.entries()) {
    if (c.length !== n)
      throw new RangeError(`learned.lowerEnvelope: curves[${j}]: expected length ${n}, got ${c.length}`);
    for (let t = 0; t < n; t++) {
      const v = c[t] as number;
      if (v < (env[t] as number)) env[t] = v;
    }
  }
  for (let t = 1; t < n; t++) if ((env[t - 1] as number) < (env[t] as number)) env[t] = env[t - 1] as number;
  return env;
}

/**
 * The first step, linearly interpolated between integer steps, at which a non-increasing `envelope`
 * reaches `target`; 0 if it starts at or below it, +∞ if it never gets there.
 */
export function stepsToReach(envelope: ArrayLike<number>, target: number): number {
  if (!((envelope[0] as number) > target)) return 0;
  for (let t = 1; t < envelope.length; t++) {
    const b = envelope[t] as number;
    if (b <= target) {
      const a = envelope[t - 1] as number;
      // a > target >= b; a may be +∞ (diverged) → the step itself
      return Number.isFinite(a) ? t - 1 + (a - target) / (a - b) : t;
    }
  }
  return Number.POSITIVE_INFINITY;
}

/** Options of `learned.adamEnvelope`. */
export interface AdamEnvelopeOptions {
  task: Task;
  /** Adam steps per curve. */
  steps: number;
  /** Adam learning rates (default ADAM_LRS). */
  lrs?: readonly number[];
  /** Gradient-noise repeats averaged per curve, as the reference's 5 (default 5; noiseless tasks need 1). */
  repeats?: number;
  /** Noise streams of the repeats (default key(0)); pass the same to adamSpeedup. */
  key?: Key;
}

/** The Adam baseline of one task: repeats averaged per lr, lower envelope over lrs, running minimum. */
export function adamEnvelope(options: AdamEnvelopeOptions): Float64Array {
  const fn = 'learned.adamEnvelope';
  checkKnownKeys(options, ['task', 'steps', 'lrs', 'repeats', 'key'], fn);
  const { task, steps } = options;
  checkInteger(steps, `${fn}: steps`, 1);
  const repeats = options.repeats ?? 5;
  checkInteger(repeats, `${fn}: repeats`, 1);
  const lrs = options.lrs ?? ADAM_LRS;
  if (lrs.length === 0) throw new RangeError(`${fn}: lrs: expected at least one learning rate`);
  const k = options.key ?? keyOf(0);
  const curves = lrs.map((lr) => {
    const mean = new Float64Array(steps + 1);
    for (let r = 0; r < repeats; r++) {
      const c = lossCurve(adam({ lr }), task.fork(fold(k, r)), steps);
      for (let t = 0; t <= steps; t++) mean[t] = (mean[t] as number) + (c[t] as number) / repeats;
    }
    return mean;
  });
  return lowerEnvelope(curves);
}

/** Options of `learned.adamSpeedup`. */
export interface AdamSpeedupOptions {
  /** The optimizer under test (a fresh state per run). */
  optimizer: Optimizer;
  /** The held-out task. */
  task: Task;
  /** Steps T at which the optimizer's loss is read. */
  horizon: number;
  /** Adam runs last cap·T steps; a ratio is capped at `cap` (default 10). */
  cap?: number;
  /** Adam learning rates (default ADAM_LRS). */
  lrs?: readonly number[];
  /** Gradient-noise repeats averaged per curve, as the reference's 5 (default 5; noiseless tasks need 1). */
  repeats?: number;
  /** Noise streams of the repeats (default key(0)); the optimizer and Adam share them. */
  key?: Key;
  /**
   * A precomputed adamEnvelope of this task (same lrs, repeats and key) of at least cap·T steps,
   * to score several optimizers or horizons against one baseline.
   */
  envelope?: Float64Array;
}

/** One task's result of `learned.adamSpeedup`. */
export interface AdamSpeedup {
  /** Mean over repeats of the optimizer's loss after T steps. */
  loss: number;
  /** Steps the Adam envelope needs to reach `loss` (≤ cap·T, +∞ if never). */
  adamSteps: number;
  /** min(adamSteps / T, cap): ≥ 1 means the optimizer is faster than tuned Adam. */
  ratio: number;
  /** The Adam envelope's loss at T. */
  adamLossAtHorizon: number;
}

/** VeLO's metric on one task: how many steps learning-rate-tuned Adam needs to match the optimizer at T. */
export function adamSpeedup(options: AdamSpeedupOptions): AdamSpeedup {
  const fn = 'learned.adamSpeedup';
  checkKnownKeys(options, ['optimizer', 'task', 'horizon', 'cap', 'lrs', 'repeats', 'key', 'envelope'], fn);
  const { optimizer, task, horizon } = options;
  checkInteger(horizon, `${fn}: horizon`, 1);
  const cap = options.cap ?? 10;
  checkRange(cap, `${fn}: cap`, 1, 1e4);
  const repeats = options.repeats ?? 5;
  checkInteger(repeats, `${fn}: repeats`, 1);
  const k = options.key ?? keyOf(0);
  const steps = Math.ceil(cap * horizon);
  let env = options.envelope;
  if (env === undefined)
    env = adamEnvelope({ task, steps, repeats, key: k, ...(options.lrs !== undefined ? { lrs: options.lrs } : {}) });
  else if (!(env instanceof Float64Array) || env.length < steps + 1)
    throw new RangeError(`${fn}: envelope: expected a Float64Array of at least ${steps + 1} losses (cap·T + 1)`);
  else env = env.subarray(0, steps + 1);
  let loss = 0;
  for (let r = 0; r < repeats; r++)
    loss += (lossCurve(optimizer, task.fork(fold(k, r)), horizon)[horizon] as number) / repeats;
  const adamSteps = stepsToReach(env, loss);
  return { loss, adamSteps, ratio: Math.min(adamSteps / horizon, cap), adamLossAtHorizon: env[horizon] as number };
}
