// Checks and bookkeeping shared by the strategies.
import { checkBoolean, checkFloat32, checkInteger, checkKnownKeys, checkUint32 } from '../util/check.js';
import type { CommonOptions, Fitness, NonFinitePolicy, Population, StrategyState } from './types.js';

export const COMMON_KEYS = ['popSize', 'minimize', 'nonFinite'] as const;

export interface Common {
  minimize: boolean;
  nonFinite: NonFinitePolicy;
}

export function checkOptions(options: object, known: readonly string[], name: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name}: expected an options object`);
  checkKnownKeys(options, [...COMMON_KEYS, ...known], name);
}

export function commonOptions(o: CommonOptions, name: string): Common {
  const minimize = o.minimize ?? true;
  checkBoolean(minimize, `${name}: minimize`);
  const nonFinite = o.nonFinite ?? 'error';
  if (nonFinite !== 'error' && nonFinite !== 'worst')
    throw new RangeError(`${name}: nonFinite: expected 'error' or 'worst', got '${String(nonFinite)}'`);
  return { minimize, nonFinite };
}

/** A Philox key argument of init/ask. */
export function checkKey(key: unknown, name: string): void {
  checkUint32(key, `${name}: key`, 2);
}

/** A state argument of ask/tell: what init() or tell() returned. */
export function checkState(state: unknown, name: string): void {
  if (typeof state !== 'object' || state === null || typeof (state as StrategyState).generation !== 'number')
    throw new TypeError(`${name}: state: expected the state that init() or tell() returned`);
}

export function checkPopSize(popSize: unknown, name: string, even = false): number {
  checkInteger(popSize, `${name}: popSize`, 2, 1 << 24);
  if (even && popSize % 2 !== 0)
    throw new RangeError(`${name}: popSize: expected an even number for antithetic sampling, got ${popSize}`);
  return popSize;
}

/** x0 as a fresh Float32Array with at least one finite element. */
export function toVector(x0: unknown, name: string): Float32Array {
  let v: Float32Array;
  if (x0 instanceof Float32Array) v = Float32Array.from(x0);
  else if (Array.isArray(x0) || x0 instanceof Float64Array) v = Float32Array.from(x0 as ArrayLike<number>);
  else throw new TypeError(`${name}: expected a Float32Array or an array of numbers`);
  if (v.length === 0) throw new RangeError(`${name}: expected at least one element`);
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i])) throw new RangeError(`${name}[${i}]: expected a finite number, got ${v[i]}`);
  return v;
}

export function checkPopulation(pop: Population, popSize: number, dim: number, name: string): void {
  if (typeof pop !== 'object' || pop === null)
    throw new TypeError(`${name}: population: expected an object from ask()`);
  checkFloat32(pop.x, `${name}: population.x`, popSize * dim);
  if (pop.popSize !== popSize || pop.dim !== dim)
    throw new RangeError(
      `${name}: population: expected ${popSize} members of dim ${dim}, got ${pop.popSize} of dim ${pop.dim}`,
    );
}

/**
 * Fitness as losses (lower is better) in float64. Non-finite values throw ('error') or become
 * +Inf ('worst'), which every strategy ranks last.
 */
export function toLosses(fitness: Fitness, popSize: number, c: Common, name: string): Float64Array {
  if (!(ArrayBuffer.isView(fitness) || Array.isArray(fitness)))
    throw new TypeError(`${name}: fitness: expected a Float64Array, Float32Array or array of numbers`);
  const f = fitness as ArrayLike<number>;
  if (f.length !== popSize) throw new RangeError(`${name}: fitness: expected length ${popSize}, got ${f.length}`);
  const out = new Float64Array(popSize);
  let finite = 0;
  for (let i = 0; i < popSize; i++) {
    const v = f[i];
    if (typeof v !== 'number') throw new TypeError(`${name}: fitness[${i}]: expected a number`);
    if (!Number.isFinite(v)) {
      if (c.nonFinite === 'error')
        throw new RangeError(
          `${name}: fitness[${i}]: expected a finite number, got ${v} (pass nonFinite: 'worst' to rank it last)`,
        );
      out[i] = Number.POSITIVE_INFINITY;
    } else {
      out[i] = c.minimize ? v : -v;
      finite++;
    }
  }
  if (finite === 0) throw new RangeError(`${name}: fitness: every value is non-finite`);
  return out;
}

/** Member indices sorted by loss, best first (stable: ties keep index order). */
export function sortByLoss(losses: Float64Array): number[] {
  const order = Array.from({ length: losses.length }, (_, i) => i);
  order.sort((a, b) => {
    const x = losses[a] as number;
    const y = losses[b] as number;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return order;
}

export function row(pop: Population, i: number): Float32Array {
  return pop.x.subarray(i * pop.dim, (i + 1) * pop.dim);
}

export function initialBest(minimize: boolean): number {
  return minimize ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/** The best-so-far fields after a generation with these losses. */
export function nextBest(
  state: StrategyState,
  pop: Population,
  losses: Float64Array,
  minimize: boolean,
): Pick<StrategyState, 'best' | 'bestFitness'> {
  let i = 0;
  for (let k = 1; k < losses.length; k++) if ((losses[k] as number) < (losses[i] as number)) i = k;
  const loss = losses[i] as number;
  const prevLoss = minimize ? state.bestFitness : -state.bestFitness;
  if (state.best !== undefined && !(loss < prevLoss)) return { best: state.best, bestFitness: state.bestFitness };
  if (!Number.isFinite(loss)) return { best: state.best, bestFitness: state.bestFitness };
  return { best: Float32Array.from(row(pop, i)), bestFitness: minimize ? loss : -loss };
}
