// The plain path for JavaScript fitness functions: one call per member, awaited together when
// any returns a Promise.
import type { Population } from './types.js';

/** A fitness function of one member (a view of the population row; copy it to keep it). */
export type FitnessFn = (x: Float32Array, index: number) => number | Promise<number>;

/** Fitness of every member of a population, in member order. */
export async function evaluate(f: FitnessFn, pop: Population): Promise<Float64Array> {
  if (typeof f !== 'function') throw new TypeError('evaluate: f: expected a function (x, index) => number');
  const out = new Float64Array(pop.popSize);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < pop.popSize; i++) {
    const r = f(pop.x.subarray(i * pop.dim, (i + 1) * pop.dim), i);
    if (typeof r === 'number') out[i] = r;
    else if (r && typeof (r as Promise<number>).then === 'function')
      pending.push(
        (r as Promise<number>).then((v) => {
          out[i] = checkValue(v, i);
        }),
      );
    else throw new TypeError(`evaluate: f returned ${typeof r} for member ${i}; expected a number`);
  }
  if (pending.length) await Promise.all(pending);
  return out;
}

function checkValue(v: unknown, i: number): number {
  if (typeof v !== 'number')
    throw new TypeError(`evaluate: f resolved to ${typeof v} for member ${i}; expected a number`);
  return v;
}

/** `evaluate` for synchronous fitness functions. */
export function evaluateSync(f: (x: Float32Array, index: number) => number, pop: Population): Float64Array {
  if (typeof f !== 'function') throw new TypeError('evaluateSync: f: expected a function (x, index) => number');
  const out = new Float64Array(pop.popSize);
  for (let i = 0; i < pop.popSize; i++) {
    const v = f(pop.x.subarray(i * pop.dim, (i + 1) * pop.dim), i);
    if (typeof v !== 'number')
      throw new TypeError(`evaluateSync: f returned ${typeof v} for member ${i}; expected a number`);
    out[i] = v;
  }
  return out;
}
