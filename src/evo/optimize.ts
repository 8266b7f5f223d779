// evo.optimize: the ask–evaluate–tell loop for the simple case.

import type { ClusterOptions } from '../cluster/evaluator.js';
import { generationEvaluator } from '../cluster/evaluator.js';
import type { FitnessRef } from '../cluster/fitness.js';
import { fold, key as makeKey, split } from '../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import { toVector } from './common.js';
import type { FitnessFn } from './evaluate.js';
import { cbo } from './strategies/cbo.js';
import { cmaEs, sepCmaEs } from './strategies/cma_es.js';
import { ga } from './strategies/ga.js';
import { openaiEs } from './strategies/openai_es.js';
import { pgpe } from './strategies/pgpe.js';
import { snes } from './strategies/snes.js';
import { zoRank } from './strategies/zo_rank.js';
import type { Population, Strategy, StrategyState } from './types.js';

/** Strategy names `optimize` understands. */
export type StrategyName = 'openaiEs' | 'pgpe' | 'snes' | 'cmaEs' | 'sepCmaEs' | 'ga' | 'cbo' | 'zoRank';

const FACTORIES: Record<StrategyName, (o: Record<string, unknown>) => Strategy<StrategyState, Population>> = {
  openaiEs: (o) => openaiEs(o) as unknown as Strategy<StrategyState, Population>,
  pgpe: (o) => pgpe(o) as unknown as Strategy<StrategyState, Population>,
  snes: (o) => snes(o) as unknown as Strategy<StrategyState, Population>,
  cmaEs: (o) => cmaEs(o) as unknown as Strategy<StrategyState, Population>,
  sepCmaEs: (o) => sepCmaEs(o) as unknown as Strategy<StrategyState, Population>,
  ga: (o) => ga(o) as unknown as Strategy<StrategyState, Population>,
  cbo: (o) => cbo(o) as unknown as Strategy<StrategyState, Population>,
  zoRank: (o) => zoRank(o) as unknown as Strategy<StrategyState, Population>,
};

/** One generation's statistics. */
export interface GenerationStats {
  generation: number;
  /** Best fitness so far. */
  bestFitness: number;
  /** Best and mean fitness of this generation. */
  generationBest: number;
  generationMean: number;
  /** Function evaluations so far. */
  evaluations: number;
}

/** What `optimize` runs: the strategy, its start, how long, and where evaluations go. */
export interface OptimizeOptions {
  /** A strategy name, or a strategy object (then popSize/minimize/strategyOptions are its own). */
  strategy: StrategyName | Strategy<StrategyState, Population>;
  /** Starting point (the search mean or first parent); its length is the dimension. */
  x0: Float32Array | readonly number[];
  /** Generations to run at most (stops early at `target`). */
  generations: number;
  /** Members per generation for a named strategy (default the strategy's own). */
  popSize?: number;
  /** Seed of the run (default 0). */
  seed?: number;
  /** Lower fitness is better (default true). */
  minimize?: boolean;
  /** Stop once the best fitness reaches this value. */
  target?: number;
  /** Other options for a named strategy (sigma, lr, ...). */
  strategyOptions?: Record<string, unknown>;
  /** Called after every generation. */
  onGeneration?: (stats: GenerationStats) => void;
  /**
   * Evaluate on a BullMQ queue (`{ redis: URL }`, served by `outerloop worker`) or on worker
   * threads (`{ threads: N }`); needs f as a fitness reference. Same result as without.
   */
  cluster?: ClusterOptions;
  /**
   * Stops the run between generations once aborted (a generation under way finishes first); the
   * result then holds the generations run, with `stopped` true.
   */
  signal?: AbortSignal;
}

/** The outcome of `optimize`. */
export interface OptimizeResult {
  /** Best member seen over the run. */
  best: Float32Array;
  /** Fitness of `best`. */
  bestFitness: number;
  /** Statistics of each generation run, in order. */
  history: GenerationStats[];
  /** Function evaluations in all. */
  evaluations: number;
  /** The final strategy state. */
  state: StrategyState;
  /** True when `signal` stopped the run before its last generation. */
  stopped: boolean;
}

const KEYS = [
  'strategy',
  'x0',
  'generations',
  'popSize',
  'seed',
  'minimize',
  'target',
  'strategyOptions',
  'onGeneration',
  'cluster',
  'signal',
] as const;

function makeStrategy(o: OptimizeOptions): Strategy<StrategyState, Population> {
  if (typeof o.strategy === 'object' && o.strategy !== null) {
    if (o.popSize !== undefined || o.minimize !== undefined || o.strategyOptions !== undefined)
      throw new TypeError(
        'optimize: popSize, minimize and strategyOptions belong to the strategy object; give them to its factory',
      );
    return o.strategy;
  }
  const factory = FACTORIES[o.strategy as StrategyName];
  if (!factory)
    throw new RangeError(
      `optimize: strategy: expected one of ${Object.keys(FACTORIES).join(', ')}, got '${String(o.strategy)}'`,
    );
  const so: Record<string, unknown> = { ...(o.strategyOptions ?? {}) };
  if (o.popSize !== undefined) so.popSize = o.popSize;
  if (o.minimize !== undefined) so.minimize = o.minimize;
  return factory(so);
}

const nextMacrotask = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Minimizes (or maximizes, with `minimize: false`) f from x0 with a strategy for a number of
 * generations. Deterministic for a seed (same backend and thread count): generation g asks with
 * fold(runKey, g). f is a function, or a fitness reference (`{ module, export }`, or
 * `{ builtin: 'rollout', options }`) whose member evaluations get keys from (seed, generation,
 * member) — the form that also runs on a `cluster`, with the same result.
 */
export async function optimize(f: FitnessFn | FitnessRef, options: OptimizeOptions): Promise<OptimizeResult> {
  if (typeof f !== 'function' && (typeof f !== 'object' || f === null))
    throw new TypeError(
      'optimize: f: expected a function (x, index) => number or a fitness reference { module, export }',
    );
  if (typeof options !== 'object' || options === null) throw new TypeError('optimize: expected an options object');
  checkKnownKeys(options, KEYS, 'optimize');
  checkInteger(options.generations, 'optimize: generations', 1, 1e9);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'optimize: seed');
  if (options.target !== undefined) checkNumber(options.target, 'optimize: target');
  if (options.onGeneration !== undefined && typeof options.onGeneration !== 'function')
    throw new TypeError('optimize: onGeneration: expected a function');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new TypeError('optimize: signal: expected an AbortSignal');
  const so = options.strategyOptions;
  if (so !== undefined && (typeof so !== 'object' || so === null || Array.isArray(so)))
    throw new TypeError('optimize: strategyOptions: expected an options object for the strategy');
  const x0 = toVector(options.x0, 'optimize: x0');
  const strategy = makeStrategy(options);
  const [initKey, runKey] = split(makeKey(seed), 2) as [Uint32Array, Uint32Array];
  let state = strategy.init(initKey, x0);
  const evaluator = await generationEvaluator(f, options.cluster, seed);
  try {
    return await loop();
  } finally {
    await evaluator.close();
  }
  async function loop(): Promise<OptimizeResult> {
    const history: GenerationStats[] = [];
    let evaluations = 0;
    const sign = strategy.minimize ? 1 : -1;
    let stopped = false;
    for (let g = 0; g < options.generations; g++) {
      // A fitness that settles synchronously (the js backend) never leaves the microtask queue, so
      // an abort from an event (Ctrl-C) would never be seen: let events through between generations.
      if (options.signal && g > 0) await nextMacrotask();
      if (options.signal?.aborted) {
        stopped = true;
        break;
      }
      const pop = strategy.ask(state, fold(runKey, g));
      const fitness = await evaluator.evaluate(pop, g);
      evaluations += pop.popSize;
      state = strategy.tell(state, pop, fitness);
      let genBest = fitness[0] as number;
      let sum = 0;
      for (const v of fitness) {
        if (sign * v < sign * genBest) genBest = v;
        sum += v;
      }
      const stats: GenerationStats = {
        generation: g,
        bestFitness: state.bestFitness,
        generationBest: genBest,
        generationMean: sum / fitness.length,
        evaluations,
      };
      history.push(stats);
      options.onGeneration?.(stats);
      if (options.target !== undefined && sign * state.bestFitness <= sign * options.target) break;
    }
    if (!state.best) throw new RangeError('optimize: no finite fitness was seen');
    return { best: state.best, bestFitness: state.bestFitness, history, evaluations, state, stopped };
  }
}
