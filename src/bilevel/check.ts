// Argument checks shared by hypergradient and solve: the problem's shape, λ and w0.
import { checkFloat32, checkInteger } from '../util/check.js';
import type { BilevelProblem } from './types.js';

const METHODS = ['inner', 'innerGradLambda', 'innerHvp', 'innerMixedVjp', 'innerMixedJvp', 'outer'] as const;

export function checkProblem(p: unknown, fn: string): asserts p is BilevelProblem {
  if (typeof p !== 'object' || p === null) throw new TypeError(`${fn}: problem: expected a bilevel problem object`);
  const q = p as Record<string, unknown>;
  checkInteger(q.wSize, `${fn}: problem.wSize`, 1);
  checkInteger(q.lambdaSize, `${fn}: problem.lambdaSize`, 1);
  for (const m of METHODS)
    if (typeof q[m] !== 'function') throw new TypeError(`${fn}: problem.${m}: expected a function`);
}

/** λ: a Float32Array of the problem's lambdaSize with finite entries. */
export function checkLambda(lambda: unknown, p: BilevelProblem, name: string): asserts lambda is Float32Array {
  checkFloat32(lambda, name, p.lambdaSize);
  for (let j = 0; j < lambda.length; j++)
    if (!Number.isFinite(lambda[j])) throw new RangeError(`${name}[${j}]: expected a finite number, got ${lambda[j]}`);
}

export function checkW(w: unknown, p: BilevelProblem, name: string): asserts w is Float32Array {
  checkFloat32(w, name, p.wSize);
  for (let i = 0; i < w.length; i++)
    if (!Number.isFinite(w[i])) throw new RangeError(`${name}[${i}]: expected a finite number, got ${w[i]}`);
}
