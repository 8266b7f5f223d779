// The ask/tell shell every strategy shares: the key, state and population checks, fitness as
// losses, the best-so-far bookkeeping and the generation count. A strategy says only how it
// starts, samples and updates.
import type { Key } from '../random/index.js';
import {
  type Common,
  checkKey,
  checkPopulation,
  checkState,
  initialBest,
  nextBest,
  toLosses,
  toVector,
} from './common.js';
import type { Population, Strategy, StrategyState } from './types.js';

/** A strategy's own state fields: all but the generation count and the best so far. */
export type OwnState<S extends StrategyState> = Omit<S, keyof StrategyState>;

/** What a strategy's ask sees: the state, the key and the generation's size. */
export interface AskArgs<S> {
  readonly state: S;
  readonly key: Key;
  readonly popSize: number;
  readonly dim: number;
}

/** What a strategy's tell sees: the state, the population ask() made and its size. */
export interface TellArgs<S, P> {
  readonly state: S;
  readonly pop: P;
  readonly popSize: number;
  readonly dim: number;
}

/** What makes a strategy; `defineStrategy` adds the rest. */
export interface StrategySpec<S extends StrategyState, P extends Population> {
  readonly name: string;
  readonly common: Common;
  /** Members per generation: a number, or a function of the dimension (the size is fixed at init). */
  readonly popSize: number | ((dim: number) => number);
  /** The dimension of a state's members. */
  dim(state: S): number;
  /** The strategy's own fields at the start from x0 (a fresh, finite copy of the caller's). */
  init(key: Key, x0: Float32Array, popSize: number): OwnState<S>;
  ask(args: AskArgs<S>): P;
  /** The name of a field ask() attached that the population lacks, or undefined when all are there. */
  missing?(args: TellArgs<S, P>): string | undefined;
  /** The strategy's own fields after a generation with these losses (lower is better). */
  tell(args: TellArgs<S, P>, losses: Float64Array): Partial<OwnState<S>>;
  center(state: S): Float32Array;
}

/** A strategy from its spec; `popSize` follows the dimension of the last init when the spec's is a function. */
export function defineStrategy<S extends StrategyState, P extends Population>(
  spec: StrategySpec<S, P>,
): Strategy<S, P> & { popSize: number } {
  const { name, common } = spec;
  const sizeFor = (dim: number) => (typeof spec.popSize === 'number' ? spec.popSize : spec.popSize(dim));
  const strategy: Strategy<S, P> & { popSize: number } = {
    name,
    popSize: typeof spec.popSize === 'number' ? spec.popSize : 0,
    minimize: common.minimize,
    init(key, x0) {
      checkKey(key, name);
      const x = toVector(x0, `${name}: x0`);
      const popSize = sizeFor(x.length);
      const own = spec.init(key, x, popSize);
      strategy.popSize = popSize;
      return { generation: 0, best: undefined, bestFitness: initialBest(common.minimize), ...own } as S;
    },
    ask(state, key) {
      checkState(state, name);
      checkKey(key, name);
      const dim = spec.dim(state);
      return spec.ask({ state, key, popSize: sizeFor(dim), dim });
    },
    tell(state, pop, fitness) {
      checkState(state, name);
      const dim = spec.dim(state);
      const popSize = sizeFor(dim);
      checkPopulation(pop, popSize, dim, name);
      const args = { state, pop, popSize, dim };
      const field = spec.missing?.(args);
      if (field !== undefined) throw new TypeError(`${name}: population: expected the ${field} that ask() attached`);
      const losses = toLosses(fitness, popSize, common, name);
      const best = nextBest(state, pop, losses, common.minimize);
      const own = spec.tell(args, losses);
      return { ...state, ...best, ...own, generation: state.generation + 1 };
    },
    center: (state) => spec.center(state),
  };
  return strategy;
}
