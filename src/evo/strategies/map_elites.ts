// MAP-Elites (Mouret & Clune 2015) on a grid archive, with CMA-ME improvement emitters (Fontaine
// et al. 2020; pyribs' EvolutionStrategyEmitter, reference §6.2) or plain Gaussian mutation of
// uniformly drawn elites. Each generation every emitter asks a batch; the whole generation goes
// into the archive at once (pyribs' scheduler), and each improvement emitter ranks its batch
// "2imp" — new cells first, then improvements, then the rest, each by value — and tells its
// CMA-ES that order (pyribs' selection rule "mu": CMA-ES's own μ = λ/2 log weights, not "filter").
// An emitter none of whose members entered the archive restarts from a uniformly drawn elite
// ("no_improvement"). Descriptors come from `options.descriptor(x)` or tell's fourth argument.
import { fold, type Key, normal } from '../../random/index.js';
import { checkInteger, checkRange } from '../../util/check.js';
import { checkOptions, commonOptions } from '../common.js';
import { type GridArchive, gridArchive } from '../grid_archive.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Fitness, Population, Strategy, StrategyState } from '../types.js';
import { type CmaEsPopulation, type CmaEsState, cmaEs } from './cma_es.js';
import { cmaPopSize } from './cma_params.js';

/** The archive grid and the emitters of MAP-Elites (CMA-ME or Gaussian mutation). */
export interface MapElitesOptions extends Omit<CommonOptions, 'popSize'> {
  /** Cells per descriptor dimension. */
  dims: readonly number[];
  /** Lower descriptor bounds, one per dimension (values outside fall into the edge cells). */
  lower: readonly number[];
  /** Upper descriptor bounds, one per dimension. */
  upper: readonly number[];
  /** Behaviour descriptor of a member; without it, pass descriptors to tell. */
  descriptor?: (x: Float32Array) => ArrayLike<number>;
  /** 'cmaMe' (default): CMA-ES improvement emitters; 'gaussian': mutate uniformly drawn elites. */
  emitter?: 'cmaMe' | 'gaussian';
  /** Number of emitters, default 5. */
  emitters?: number;
  /** Members per emitter per generation, default CMA-ES's 4 + ⌊3 ln d⌋. */
  batchSize?: number;
  /** CMA-ES σ0 of an emitter (and at each restart), or the Gaussian mutation σ; default 0.5. */
  sigma?: number;
}

export interface MapElitesState extends StrategyState {
  readonly x0: Float32Array;
  readonly archive: GridArchive;
  /** CMA-ES state of each improvement emitter (empty for 'gaussian'). */
  readonly emitterStates: readonly CmaEsState[];
  /** Restarts so far, per emitter. */
  readonly restarts: Int32Array;
  /** Key of the restarts' elite draws. */
  readonly key: Key;
}

export interface MapElitesPopulation extends Population {
  /** Each improvement emitter's own population (rows of x in emitter order). */
  readonly emitterPops: readonly CmaEsPopulation[];
}

/** MAP-Elites whose tell also takes the members' descriptors [popSize × dims.length]. */
export interface MapElitesStrategy extends Strategy<MapElitesState, MapElitesPopulation> {
  tell(state: MapElitesState, pop: MapElitesPopulation, fitness: Fitness, descriptors?: Float32Array): MapElitesState;
}

const KEYS = ['dims', 'lower', 'upper', 'descriptor', 'emitter', 'emitters', 'batchSize', 'sigma'] as const;

/** 2imp order of a batch: status descending, then value descending, ties by index. */
export function twoStageImprovementOrder(status: Int8Array, value: Float64Array): number[] {
  return Array.from(status, (_, i) => i).sort(
    (a, b) =>
      (status[b] as number) - (status[a] as number) ||
      ((value[b] as number) > (value[a] as number) ? 1 : (value[b] as number) < (value[a] as number) ? -1 : a - b),
  );
}

/** MAP-Elites with CMA-ME emitters (or Gaussian mutation). */
export function mapElites(options: MapElitesOptions): MapElitesStrategy {
  const name = 'mapElites';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name}: expected an options object`);
  checkOptions(options, KEYS, name);
  if ('popSize' in options) throw new TypeError(`${name}: popSize: give emitters and batchSize instead`);
  const common = commonOptions(options, name);
  const kind = options.emitter ?? 'cmaMe';
  if (kind !== 'cmaMe' && kind !== 'gaussian') throw new RangeError(`${name}: emitter: expected 'cmaMe' or 'gaussian'`);
  const emitters = options.emitters ?? 5;
  checkInteger(emitters, `${name}: emitters`, 1, 1 << 16);
  if (options.batchSize !== undefined) checkInteger(options.batchSize, `${name}: batchSize`, 4, 1 << 20);
  const sigma = options.sigma ?? 0.5;
  checkRange(sigma, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);
  if (options.descriptor !== undefined && typeof options.descriptor !== 'function')
    throw new TypeError(`${name}: descriptor: expected a function (x) => descriptor`);
  const k = options.dims?.length ?? 0;
  // Checked once here so a bad grid fails at construction.
  gridArchive({ dims: options.dims, lower: options.lower, upper: options.upper, solutionDim: 1 });
  const batchFor = (d: number) => options.batchSize ?? cmaPopSize(d);
  const emitterEs = (batch: number) => cmaEs({ popSize: batch, sigma });
  let pending: Float32Array | undefined;

  const base = defineStrategy<MapElitesState, MapElitesPopulation>({
    name,
    common,
    popSize: (d) => emitters * batchFor(d),
    dim: (state) => state.x0.length,
    init(key, x0) {
      const es = emitterEs(batchFor(x0.length));
      const archive = gridArchive({
        dims: options.dims,
        lower: options.lower,
        upper: options.upper,
        solutionDim: x0.length,
      });
      const emitterStates =
        kind === 'cmaMe' ? Array.from({ length: emitters }, (_, e) => es.init(fold(key, e + 1), x0)) : [];
      return { x0, archive, emitterStates, restarts: new Int32Array(emitters), key: fold(key, 0) };
    },
    ask({ state, key, popSize, dim }) {
      const x = new Float32Array(popSize * dim);
      if (kind === 'cmaMe') {
        const batch = popSize / emitters;
        const es = emitterEs(batch);
        const emitterPops = state.emitterStates.map((s, e) => es.ask(s, fold(key, e)));
        emitterPops.forEach((p, e) => {
          x.set(p.x, e * batch * dim);
        });
        return { x, popSize, dim, emitterPops };
      }
      const parents = state.archive.sample(fold(key, 0), popSize);
      const noise = normal(fold(key, 1), popSize * dim);
      for (let i = 0; i < popSize; i++) {
        const from = parents.length ? state.archive.elites.subarray((parents[i] as number) * dim) : state.x0;
        for (let j = 0; j < dim; j++) x[i * dim + j] = (from[j] as number) + sigma * (noise[i * dim + j] as number);
      }
      return { x, popSize, dim, emitterPops: [] };
    },
    missing: ({ pop }) => (kind === 'gaussian' || pop.emitterPops?.length === emitters ? undefined : 'emitterPops'),
    tell({ state, pop, popSize, dim }, losses) {
      let desc = pending;
      if (desc === undefined) {
        if (!options.descriptor) throw new TypeError(`${name}: tell: expected descriptors (or a descriptor option)`);
        desc = new Float32Array(popSize * k);
        for (let i = 0; i < popSize; i++) {
          const d = options.descriptor(pop.x.subarray(i * dim, (i + 1) * dim));
          if (d.length !== k) throw new RangeError(`${name}: descriptor: expected ${k} values, got ${d.length}`);
          for (let j = 0; j < k; j++) desc[i * k + j] = d[j] as number;
        }
      } else if (desc.length !== popSize * k)
        throw new RangeError(`${name}: descriptors: expected ${popSize}·${k} values, got ${desc.length}`);
      const objectives = losses.map((l) => -l);
      const { status, value } = state.archive.add(pop.x, objectives, desc);
      if (kind === 'gaussian') return {};
      const batch = popSize / emitters;
      const es = emitterEs(batch);
      const restarts = Int32Array.from(state.restarts);
      const emitterStates = state.emitterStates.map((s, e) => {
        const lo = e * batch;
        const st = status.subarray(lo, lo + batch);
        const order = twoStageImprovementOrder(st, value.subarray(lo, lo + batch));
        const rank = new Float64Array(batch);
        order.forEach((i, r) => {
          rank[i] = r;
        });
        const next = es.tell(s, pop.emitterPops[e] as CmaEsPopulation, rank);
        if (st.some((v) => v > 0)) return next;
        // No member entered the archive: restart at a uniformly drawn elite.
        const restartKey = fold(fold(state.key, state.generation), e);
        const [cell] = state.archive.sample(restartKey, 1);
        const at = cell === undefined ? state.x0 : state.archive.elites.slice(cell * dim, (cell + 1) * dim);
        restarts[e] = (restarts[e] as number) + 1;
        return es.init(fold(restartKey, 1), at);
      });
      return { emitterStates, restarts };
    },
    center(state) {
      const a = state.archive;
      if (a.size === 0) return state.x0;
      let best = 0;
      for (let c = 1; c < a.cells; c++) if ((a.objectives[c] as number) > (a.objectives[best] as number)) best = c;
      return a.elites.slice(best * a.solutionDim, (best + 1) * a.solutionDim);
    },
  });
  const baseTell = base.tell;
  const strategy = base as MapElitesStrategy;
  strategy.tell = (state, pop, fitness, descriptors) => {
    pending = descriptors;
    try {
      return baseTell(state, pop, fitness);
    } finally {
      pending = undefined;
    }
  };
  return strategy;
}
