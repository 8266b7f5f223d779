// Fitness shaping: maps raw fitness to utilities that are invariant to (some) monotone or affine
// transforms of the objective. All return a new Float64Array and keep the direction (a higher
// input gives a higher output); strategies apply them to losses.
import { getBackend } from '../backend/index.js';
import type { Fitness } from './types.js';

function toFloat64(x: Fitness, name: string): Float64Array {
  if (!(ArrayBuffer.isView(x) || Array.isArray(x)))
    throw new TypeError(`${name}: expected a Float64Array, Float32Array or array of numbers`);
  return Float64Array.from(x as ArrayLike<number>);
}

/**
 * Centered ranks in [−0.5, 0.5]: the k-th smallest of n values gets k/(n−1) − 0.5 and ties share
 * their mean rank (so a constant input gives all zeros). Non-finite values rank above every finite
 * value. The shaping of OpenAI-ES and evosax's default.
 */
export function centeredRanks(fitness: Fitness): Float64Array {
  const f = toFloat64(fitness, 'centeredRanks: fitness');
  const out = new Float64Array(f.length);
  getBackend().esCenteredRanks(f, out);
  return out;
}

function checkFinite(f: Float64Array, name: string): void {
  for (let i = 0; i < f.length; i++)
    if (!Number.isFinite(f[i])) throw new RangeError(`${name}: fitness[${i}]: expected a finite number, got ${f[i]}`);
}

/** (f − mean)/std (population std; all zeros when the values are equal). Needs finite values. */
export function zScore(fitness: Fitness): Float64Array {
  const f = toFloat64(fitness, 'zScore: fitness');
  checkFinite(f, 'zScore');
  const n = f.length;
  let mean = 0;
  for (const v of f) mean += v;
  mean /= Math.max(n, 1);
  let v2 = 0;
  for (const v of f) v2 += (v - mean) * (v - mean);
  const std = Math.sqrt(v2 / Math.max(n, 1));
  return f.map((v) => (std > 0 ? (v - mean) / std : 0));
}

/** Min-max scaling to [−1, 1] (all zeros when the values are equal). Needs finite values. */
export function normalized(fitness: Fitness): Float64Array {
  const f = toFloat64(fitness, 'normalized: fitness');
  checkFinite(f, 'normalized');
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of f) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return f.map((v) => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0));
}

/** A shaping by name, or your own function of the losses (lower is better; return higher = worse). */
export type Shaping = 'centeredRanks' | 'zScore' | 'normalized' | 'none' | ((losses: Float64Array) => Float64Array);

const SHAPINGS = ['centeredRanks', 'zScore', 'normalized', 'none'] as const;

/** Checks a `shaping` option when the strategy is made, rather than at its first tell. */
export function checkShaping(shaping: unknown, name: string): asserts shaping is Shaping {
  if (typeof shaping !== 'function' && !SHAPINGS.includes(shaping as (typeof SHAPINGS)[number]))
    throw new RangeError(
      `${name}: shaping: expected 'centeredRanks', 'zScore', 'normalized', 'none' or a function, got '${String(shaping)}'`,
    );
}

/** Applies a shaping to losses; non-finite losses (ranked last) need 'centeredRanks'. */
export function shapeLosses(shaping: Shaping, losses: Float64Array, name: string): Float64Array {
  if (typeof shaping === 'function') {
    const s = shaping(losses);
    if (!(s instanceof Float64Array) || s.length !== losses.length)
      throw new RangeError(`${name}: shaping: expected a Float64Array of length ${losses.length}`);
    return s;
  }
  if (shaping === 'centeredRanks') return centeredRanks(losses);
  for (let i = 0; i < losses.length; i++)
    if (!Number.isFinite(losses[i]))
      throw new RangeError(`${name}: fitness[${i}] is non-finite; only 'centeredRanks' shaping can rank it last`);
  if (shaping === 'zScore') return zScore(losses);
  if (shaping === 'normalized') return normalized(losses);
  if (shaping === 'none') return Float64Array.from(losses);
  throw new RangeError(`${name}: shaping: expected 'centeredRanks', 'zScore', 'normalized', 'none' or a function`);
}
