// The ask/tell contract every strategy follows.
import type { Key } from '../random/index.js';

/** Fitness values of a population, one per member (any numeric array). */
export type Fitness = Float64Array | Float32Array | readonly number[];

/** What a strategy does with a non-finite fitness value: reject it, or rank it below every finite one. */
export type NonFinitePolicy = 'error' | 'worst';

/**
 * A population from `ask`: `x` holds the members row-major [popSize × dim] (member i is
 * `x.subarray(i·dim, (i+1)·dim)`). Strategies add what `tell` needs to know about how the
 * members were made (noise indices, genomes, ...); pass the object back to `tell` unchanged.
 */
export interface Population {
  readonly x: Float32Array;
  readonly popSize: number;
  readonly dim: number;
}

/** Fields every strategy state has. */
export interface StrategyState {
  /** Generations told so far. */
  readonly generation: number;
  /** The best member seen so far (in the strategy's direction), or undefined before the first tell. */
  readonly best: Float32Array | undefined;
  /** Its fitness (as the caller reported it); +Inf (minimizing) or −Inf (maximizing) before the first tell. */
  readonly bestFitness: number;
}

/**
 * An ask/tell strategy with explicit state. All randomness comes from the key given to `init` and
 * `ask`, so the same keys give the same run. `tell` returns the next state and may update the
 * buffers of the state it was given (treat that state as consumed).
 */
export interface Strategy<S extends StrategyState = StrategyState, P extends Population = Population> {
  readonly name: string;
  readonly popSize: number;
  /** True when lower fitness is better. */
  readonly minimize: boolean;
  /** The state at the start point `x0`. */
  init(key: Key, x0: Float32Array | readonly number[]): S;
  /** Samples a generation of `popSize` members from the state. */
  ask(state: S, key: Key): P;
  /** The next state, from the generation asked for and its members' fitness. */
  tell(state: S, population: P, fitness: Fitness): S;
  /** The strategy's current estimate of the solution (its mean, consensus point or best parent). */
  center(state: S): Float32Array;
}

/** Options every strategy accepts. */
export interface CommonOptions {
  /** Members per generation (>= 2). */
  popSize?: number;
  /** Lower fitness is better (default true). */
  minimize?: boolean;
  /** 'error' (default) rejects a non-finite fitness with a RangeError; 'worst' ranks it below every finite value. */
  nonFinite?: NonFinitePolicy;
}

/**
 * A gradient optimizer for a strategy's mean, of the shape `optim` optimizers have: `init` makes
 * its state, `step` updates `params` in place by descending `grads`.
 */
export interface MeanOptimizer<S = unknown> {
  /** A fresh state for parameters of this size. */
  init(params: Float32Array): S;
  /** Applies one update from the estimated gradient `grads` to `params` in place. */
  step(params: Float32Array, grads: Float32Array, state: S): unknown;
}
