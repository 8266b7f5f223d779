// nn.checkGrad: compares an analytic gradient with float64 central differences.
import * as random from '../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import type { GradCheckResult } from './types.js';

/** Options of `nn.checkGrad`: finite-difference step and the coordinates checked. */
export interface CheckGradOptions {
  /** Relative step: h_i = eps·max(1, |x_i|) (default 1e-6). */
  eps?: number;
  /** Coordinates to check, or how many to pick at random (default: all when ≤ 200, else 200). */
  indices?: readonly number[] | number;
  /** Seed of the random pick (default 0). */
  seed?: number;
}

/**
 * Checks `grad` (the claimed ∇f at `at`) against central differences of `f`, evaluated in
 * float64: (f(x + h e_i) − f(x − h e_i)) / 2h. `f` receives a Float64Array it may not keep.
 * Returns the errors; a float32 kernel typically shows relError ≈ 1e-6..1e-4.
 */
export function checkGrad(
  f: (x: Float64Array) => number,
  grad: ArrayLike<number>,
  at: ArrayLike<number>,
  options: CheckGradOptions = {},
): GradCheckResult {
  if (typeof f !== 'function') throw new TypeError('checkGrad: f: expected a function');
  checkKnownKeys(options, ['eps', 'indices', 'seed'], 'checkGrad');
  const n = at.length;
  if (grad.length !== n) throw new RangeError(`checkGrad: grad: expected length ${n}, got ${grad.length}`);
  const eps = options.eps ?? 1e-6;
  checkNumber(eps, 'checkGrad: eps');
  if (!(eps > 0)) throw new RangeError(`checkGrad: eps: expected > 0, got ${eps}`);
  let indices: number[];
  const want = options.indices ?? Math.min(n, 200);
  if (typeof want === 'number') {
    checkInteger(want, 'checkGrad: indices', 0, n);
    if (want === n) indices = Array.from({ length: n }, (_, i) => i);
    else {
      const u = random.uniform(random.key(options.seed ?? 0), want);
      indices = Array.from(u, (r) => Math.min(n - 1, Math.floor(r * n)));
    }
  } else {
    indices = [...want];
    for (let k = 0; k < indices.length; k++) checkInteger(indices[k], `checkGrad: indices[${k}]`, 0, n - 1);
  }
  const x = Float64Array.from(at);
  const analytic = new Float64Array(indices.length);
  const numeric = new Float64Array(indices.length);
  let maxAbs = 0;
  let maxNum = 0;
  indices.forEach((i, k) => {
    const x0 = x[i] as number;
    const h = eps * Math.max(1, Math.abs(x0));
    x[i] = x0 + h;
    const fp = f(x);
    x[i] = x0 - h;
    const fm = f(x);
    x[i] = x0;
    const d = (fp - fm) / (2 * h);
    numeric[k] = d;
    analytic[k] = grad[i] as number;
    const err = Math.abs(d - (grad[i] as number));
    maxAbs = Number.isNaN(err) ? Number.POSITIVE_INFINITY : Math.max(maxAbs, err);
    maxNum = Math.max(maxNum, Math.abs(d));
  });
  return { maxAbsError: maxAbs, relError: maxAbs / Math.max(maxNum, 1e-12), indices, analytic, numeric };
}
