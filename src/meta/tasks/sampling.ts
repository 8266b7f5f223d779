// Small sampling helpers over the library's Philox streams, shared by the task families.
import { bits, fold, type Key, normal, uniform } from '../../random/index.js';
import { checkInteger } from '../../util/check.js';

const MAX_ROWS = 2 ** 26;

/** Checks the count/shots/queries triple every sample() takes. */
export function checkSampleArgs(count: unknown, shots: unknown, queries: unknown, minShots = 1): void {
  checkInteger(count, 'count', 1, 1 << 20);
  checkInteger(shots, 'shots', minShots, 1 << 20);
  checkInteger(queries, 'queries', 0, 1 << 20);
  // Each row is at least one float in several arrays; past this the batch would not fit them.
  if (count * (shots + queries) > MAX_ROWS)
    throw new RangeError(
      `count × (shots + queries): ${count} × ${shots + queries} rows, more than the ${MAX_ROWS} a batch can hold`,
    );
}

/** An integer in [0, n) from one 32-bit word (multiply-shift; exact in doubles for n < 2^21). */
export function wordBelow(word: number, n: number): number {
  return Math.floor((word * n) / 4294967296);
}

/**
 * Writes into out[0..k) k distinct integers drawn uniformly from [0, n), in random order
 * (a partial Fisher-Yates shuffle over `scratch`, which must hold n entries).
 */
export function chooseDistinct(
  words: Uint32Array,
  wordOffset: number,
  n: number,
  k: number,
  scratch: Int32Array,
  out: Int32Array,
  outOffset: number,
): void {
  for (let i = 0; i < n; i++) scratch[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + wordBelow(words[wordOffset + i] as number, n - i);
    const t = scratch[i] as number;
    scratch[i] = scratch[j] as number;
    scratch[j] = t;
    out[outOffset + i] = scratch[i] as number;
  }
}

/** Uniforms in [lo, hi) from a key. */
export function uniformIn(key: Key, n: number, lo: number, hi: number): Float32Array {
  const u = uniform(key, n);
  for (let i = 0; i < n; i++) u[i] = lo + (hi - lo) * (u[i] as number);
  return u;
}

/** Gamma(shape, 1) by Marsaglia-Tsang, drawing its tries from a key's stream (shape < 1 via the boost U^(1/shape)). */
export function gamma(key: Key, shape: number): number {
  const boost = shape < 1;
  const a = boost ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const k = fold(key, attempt);
    const z = normal(k, 2);
    const u = uniform(k, 2, 1);
    const x = z[0] as number;
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u0 = Math.max(u[0] as number, 1e-30);
    if (Math.log(u0) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      const g = d * v;
      return boost ? g * Math.max(u[1] as number, 1e-30) ** (1 / shape) : g;
    }
  }
  return a - 1 / 3; // unreachable in practice (acceptance rate > 0.95)
}

/** Beta(a, b) as Ga / (Ga + Gb). */
export function beta(key: Key, a: number, b: number): number {
  const x = gamma(fold(key, 0), a);
  const y = gamma(fold(key, 1), b);
  return x / (x + y);
}

export { bits, fold, normal, uniform };
