// Gittins indices of a Bernoulli arm with a Beta(a, b) posterior and discount γ, by calibration
// (reference §5.4): the index is the retirement reward λ at which pulling once and then continuing
// optimally is worth exactly retiring, found from the optimal-stopping values on the belief tree
//   C(a, b) = p − λ + γ [p max(0, C(a+1, b)) + (1 − p) max(0, C(a, b+1))],  p = a/(a + b),
// truncated at `depth` with leaf C = (p − λ)/(1 − γ) (the posterior frozen from there on).

/** Options of the calibration. */
export interface GittinsIndexOptions {
  /** Depth of the belief tree below (a, b) (default: `defaultDepth(gamma)`). */
  depth?: number;
  /** Bisection tolerance on λ (default 1e-10). */
  tol?: number;
}

/** The tree depth used when none is given: γ^depth ≤ 1e-6, at most 800 (0.99 is stable from 400). */
export function defaultDepth(gamma: number): number {
  return Math.min(800, Math.ceil(Math.log(1e-6) / Math.log(gamma)));
}

function checkArgs(a: number, b: number, gamma: number): void {
  if (!(Number.isFinite(a) && a > 0)) throw new RangeError(`a: expected a positive number, got ${a}`);
  if (!(Number.isFinite(b) && b > 0)) throw new RangeError(`b: expected a positive number, got ${b}`);
  if (!(gamma > 0 && gamma < 1)) throw new RangeError(`gamma: expected a number in (0, 1), got ${gamma}`);
}

// C at the root (a, b) for retirement reward λ; `c` is scratch of length depth + 1.
function rootStoppingValue(
  a: number,
  b: number,
  gamma: number,
  depth: number,
  lambda: number,
  c: Float64Array,
): number {
  // Level n holds the n + 1 nodes (a + s, b + n − s); sweep levels from the leaves up in place.
  for (let s = 0; s <= depth; s++) c[s] = (a + s) / (a + b + depth) - lambda;
  for (let s = 0; s <= depth; s++) c[s] = Math.max(0, (c[s] as number) / (1 - gamma));
  for (let n = depth - 1; n >= 0; n--) {
    for (let s = 0; s <= n; s++) {
      const p = (a + s) / (a + b + n);
      const v = p - lambda + gamma * (p * (c[s + 1] as number) + (1 - p) * (c[s] as number));
      c[s] = n === 0 ? v : Math.max(0, v); // the root pull is forced
    }
  }
  return c[0] as number;
}

/** The Gittins index G(a, b) of a Beta(a, b) Bernoulli arm under discount γ, by bisection on λ. */
export function gittinsIndex(a: number, b: number, gamma: number, options: GittinsIndexOptions = {}): number {
  checkArgs(a, b, gamma);
  const depth = options.depth ?? defaultDepth(gamma);
  const tol = options.tol ?? 1e-10;
  const c = new Float64Array(depth + 1);
  let lo = a / (a + b); // the index is at least the mean ...
  let hi = 1; // ... and below the best possible success rate
  while (hi - lo > tol) {
    const mid = 0.5 * (lo + hi);
    if (rootStoppingValue(a, b, gamma, depth, mid, c) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Indices of every count pair (s, f) with s + f ≤ maxPulls under a Beta(α, β) prior, by arm code
 * (see arm_codes.ts). Memoized per (s, f): a trial visits each pair many times.
 */
export class GittinsTable {
  private readonly cache = new Map<number, number>();
  constructor(
    readonly alpha: number,
    readonly beta: number,
    readonly gamma: number,
    readonly depth: number = defaultDepth(gamma),
    readonly tol = 1e-7,
  ) {}

  index(s: number, f: number): number {
    const key = s * 65536 + f;
    let g = this.cache.get(key);
    if (g === undefined) {
      g = gittinsIndex(this.alpha + s, this.beta + f, this.gamma, { depth: this.depth, tol: this.tol });
      this.cache.set(key, g);
    }
    return g;
  }
}
