// The MAP-Elites grid archive (Mouret & Clune 2015) with pyribs' batch semantics (reference §6.2,
// ribs/archives/_grid_archive.py): a descriptor m falls in cell floor((dims·(m − lb) + ε)/(ub − lb))
// per dimension, clipped to [0, dims − 1] (cells flattened row-major, last dimension fastest). A
// solution is inserted iff its objective beats the cell's elite (−∞ for an empty cell); of several
// solutions of one batch in one cell only the best goes in (ties: the first). Each solution's
// status and value are against the archive before the batch: 2 = new cell (value = objective),
// 1 = improved (value = objective − old elite), 0 = not added (value = objective − old elite).
// Objectives are maximized.
import { type Key, uniform } from '../random/index.js';
import { checkFloat32, checkInteger, checkNumber } from '../util/check.js';

const EPSILON = 1e-6;

/** The grid of a MAP-Elites archive: cells per descriptor dimension, bounds, solution length. */
export interface GridArchiveOptions {
  /** Cells per descriptor dimension. */
  dims: readonly number[];
  /** Lower bound of each descriptor dimension. */
  lower: readonly number[];
  /** Upper bound of each descriptor dimension. */
  upper: readonly number[];
  /** Length of a solution. */
  solutionDim: number;
}

/** What `add` says about each solution of a batch. */
export interface ArchiveAddResult {
  /** 0 not added, 1 improved its cell, 2 new cell (against the archive before the batch). */
  status: Int8Array;
  /** objective (new cell) or objective − the cell's old elite. */
  value: Float64Array;
}

/**
 * A MAP-Elites grid archive (pyribs' batch semantics): one elite per cell, cells flattened
 * row-major, objectives maximized. Made by `gridArchive`; `add` mutates it.
 */
export interface GridArchive {
  /** Cells per descriptor dimension. */
  readonly dims: readonly number[];
  /** Lower bound of each descriptor dimension. */
  readonly lower: readonly number[];
  /** Upper bound of each descriptor dimension. */
  readonly upper: readonly number[];
  /** Length of a solution. */
  readonly solutionDim: number;
  /** Number of cells. */
  readonly cells: number;
  /** Occupied cells. */
  readonly size: number;
  /** Elite of each cell [cells × solutionDim] (zeros where empty). */
  readonly elites: Float32Array;
  /** Objective of each cell's elite, −∞ where empty. */
  readonly objectives: Float64Array;
  /** Descriptor of each cell's elite [cells × dims.length]. */
  readonly descriptors: Float32Array;
  /** Cell of each descriptor row [n × dims.length]. */
  index(descriptors: Float32Array): Int32Array;
  /** Adds a batch: solutions [n × solutionDim], objectives [n], descriptors [n × dims.length]. */
  add(solutions: Float32Array, objectives: Float64Array, descriptors: Float32Array): ArchiveAddResult;
  /** Fraction of cells occupied. */
  coverage(): number;
  /** Σ over occupied cells of (objective − offset). */
  qdScore(offset?: number): number;
  /** n occupied cells drawn uniformly (with replacement) from `key`; empty archive → []. */
  sample(key: Key, n: number): Int32Array;
}

/** An empty grid archive. */
export function gridArchive(options: GridArchiveOptions): GridArchive {
  const name = 'gridArchive';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${name}: expected an options object`);
  const { dims, lower, upper, solutionDim } = options;
  if (!Array.isArray(dims) || dims.length === 0) throw new TypeError(`${name}: dims: expected a non-empty array`);
  const k = dims.length;
  if (!Array.isArray(lower) || lower.length !== k) throw new RangeError(`${name}: lower: expected ${k} bounds`);
  if (!Array.isArray(upper) || upper.length !== k) throw new RangeError(`${name}: upper: expected ${k} bounds`);
  let cells = 1;
  for (let j = 0; j < k; j++) {
    checkInteger(dims[j], `${name}: dims[${j}]`, 1, 1 << 20);
    checkNumber(lower[j], `${name}: lower[${j}]`);
    checkNumber(upper[j], `${name}: upper[${j}]`);
    if (!((upper[j] as number) > (lower[j] as number)))
      throw new RangeError(`${name}: upper[${j}]: expected more than lower[${j}] = ${lower[j]}`);
    cells *= dims[j] as number;
  }
  if (cells > 1 << 24) throw new RangeError(`${name}: dims: at most 2^24 cells, got ${cells}`);
  checkInteger(solutionDim, `${name}: solutionDim`, 1, 1 << 28);
  const elites = new Float32Array(cells * solutionDim);
  const objectives = new Float64Array(cells).fill(Number.NEGATIVE_INFINITY);
  const descriptors = new Float32Array(cells * k);
  const occupied: number[] = [];

  const index = (d: Float32Array) => {
    checkFloat32(d, `${name}: descriptors`);
    if (d.length % k !== 0) throw new RangeError(`${name}: descriptors: expected a multiple of ${k} values`);
    const n = d.length / k;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < k; j++) {
        const lb = lower[j] as number;
        const ub = upper[j] as number;
        const dj = dims[j] as number;
        const m = d[i * k + j] as number;
        if (!Number.isFinite(m)) throw new RangeError(`${name}: descriptors[${i * k + j}]: expected a finite number`);
        const cell = Math.min(dj - 1, Math.max(0, Math.floor((dj * (m - lb) + EPSILON) / (ub - lb))));
        c = c * dj + cell;
      }
      out[i] = c;
    }
    return out;
  };

  return {
    dims,
    lower,
    upper,
    solutionDim,
    cells,
    get size() {
      return occupied.length;
    },
    elites,
    objectives,
    descriptors,
    index,
    add(solutions, objs, desc) {
      checkFloat32(solutions, `${name}: solutions`);
      const n = objs.length;
      if (solutions.length !== n * solutionDim)
        throw new RangeError(`${name}: solutions: expected ${n}·${solutionDim} values, got ${solutions.length}`);
      if (desc.length !== n * k) throw new RangeError(`${name}: descriptors: expected ${n}·${k} values`);
      const cellOf = index(desc);
      const status = new Int8Array(n);
      const value = new Float64Array(n);
      const winner = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const c = cellOf[i] as number;
        const o = objs[i] as number;
        const old = objectives[c] as number;
        if (o > old) {
          status[i] = old === Number.NEGATIVE_INFINITY ? 2 : 1;
          const w = winner.get(c);
          if (w === undefined || o > (objs[w] as number)) winner.set(c, i);
        }
        value[i] = old === Number.NEGATIVE_INFINITY ? o : o - old;
      }
      for (const [c, i] of winner) {
        if (objectives[c] === Number.NEGATIVE_INFINITY) occupied.push(c);
        objectives[c] = objs[i] as number;
        elites.set(solutions.subarray(i * solutionDim, (i + 1) * solutionDim), c * solutionDim);
        descriptors.set(desc.subarray(i * k, (i + 1) * k), c * k);
      }
      return { status, value };
    },
    coverage: () => occupied.length / cells,
    qdScore(offset = 0) {
      let s = 0;
      for (const c of occupied) s += (objectives[c] as number) - offset;
      return s;
    },
    sample(key, n) {
      checkInteger(n, `${name}: sample: n`, 0, 1 << 24);
      if (occupied.length === 0) return new Int32Array(0);
      const u = uniform(key, n);
      return Int32Array.from(
        u,
        (v) => occupied[Math.min(occupied.length - 1, Math.floor(v * occupied.length))] as number,
      );
    },
  };
}
