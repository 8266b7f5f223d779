// Diverse-task mini-batches ("Exploring intra-task relations to improve meta-learning
// algorithms": a mini-batch of diverse tasks estimates the full meta-gradient with less noise).
// Each meta-batch is chosen from a pool of `pool`×count candidates as the greedy MAP of a k-DPP
// whose kernel is an RBF on task embeddings — the generating parameters where the family has
// them, else the support targets — by the incremental-Cholesky greedy of Chen, Zhang & Zhou
// ("Fast Greedy MAP Inference for Determinantal Point Process", NeurIPS 2018).
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../../util/check.js';
import { checkSampleArgs } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.diverse`: how large the candidate pool is and the kernel's width. */
export interface DiverseOptions {
  /** Candidates per chosen task (default 4; 1 returns the base's batch unchanged). */
  pool?: number;
  /** RBF bandwidth σ of the kernel exp(−‖e_i − e_j‖²/(2σ²)) (default: the median pairwise distance). */
  bandwidth?: number;
}

/** Each task's embedding: taskParams when the family has them, else its support targets. */
function embeddings(b: TaskBatch): { e: Float64Array; width: number } {
  if (b.paramsPerTask > 0) return { e: Float64Array.from(b.taskParams), width: b.paramsPerTask };
  const width = b.supportRows * (b.kind === 'regression' ? b.outputDim : 1);
  return { e: Float64Array.from(b.supportY), width };
}

/**
 * Indices of `k` of the `n` embeddings chosen by greedy DPP MAP (Chen et al. 2018, Algorithm 1)
 * with kernel L_ij = exp(−‖e_i − e_j‖²/(2σ²)): each step adds the candidate with the largest
 * marginal gain d_i² = det(L_{S∪i})/det(L_S).
 */
export function greedyDppMap(e: Float64Array, width: number, n: number, k: number, bandwidth?: number): Int32Array {
  const dist2 = (i: number, j: number): number => {
    let s = 0;
    for (let a = 0; a < width; a++) s += ((e[i * width + a] as number) - (e[j * width + a] as number)) ** 2;
    return s;
  };
  let sigma = bandwidth;
  if (sigma === undefined) {
    const all: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all.push(Math.sqrt(dist2(i, j)));
    all.sort((a, b) => a - b);
    sigma = all.length > 0 ? (all[all.length >> 1] as number) : 1;
    if (!(sigma > 0)) sigma = 1;
  }
  const inv = 1 / (2 * sigma * sigma);
  const c = new Float64Array(n * k); // c_i, row i: the Cholesky coefficients so far
  const d2 = new Float64Array(n).fill(1); // L_ii = 1
  const chosen = new Int32Array(k);
  const taken = new Uint8Array(n);
  for (let s = 0; s < k; s++) {
    let j = -1;
    for (let i = 0; i < n; i++) if (!taken[i] && (j < 0 || (d2[i] as number) > (d2[j] as number))) j = i;
    chosen[s] = j;
    taken[j] = 1;
    const dj = Math.sqrt(Math.max(d2[j] as number, 1e-300));
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let dot = 0;
      for (let a = 0; a < s; a++) dot += (c[j * k + a] as number) * (c[i * k + a] as number);
      const ei = (Math.exp(-dist2(i, j) * inv) - dot) / dj;
      c[i * k + s] = ei;
      d2[i] = (d2[i] as number) - ei * ei;
    }
  }
  return chosen;
}

/** The tasks `idx` of batch `b`, in that order, as a batch of their own. */
function subBatch(b: TaskBatch, idx: Int32Array): TaskBatch {
  const rows = (src: Float32Array | Int32Array, perTask: number) => {
    const out = new (src.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(idx.length * perTask);
    idx.forEach((t, i) => {
      out.set(src.subarray(t * perTask, (t + 1) * perTask), i * perTask);
    });
    return out;
  };
  const yw = b.kind === 'regression' ? b.outputDim : 1;
  const tp = new Float64Array(idx.length * b.paramsPerTask);
  idx.forEach((t, i) => {
    tp.set(b.taskParams.subarray(t * b.paramsPerTask, (t + 1) * b.paramsPerTask), i * b.paramsPerTask);
  });
  return {
    ...b,
    count: idx.length,
    supportX: rows(b.supportX, b.supportRows * b.inputDim) as Float32Array,
    supportY: rows(b.supportY, b.supportRows * yw),
    queryX: rows(b.queryX, b.queryRows * b.inputDim) as Float32Array,
    queryY: rows(b.queryY, b.queryRows * yw),
    taskParams: tp,
  };
}

/**
 * `base` with diverse meta-batches: sample(key, count, …) draws pool·count candidate tasks from
 * `base` with the same key and keeps the `count` chosen by greedy k-DPP MAP (most diverse first).
 *
 * @throws TypeError/RangeError naming the option for a bad pool or bandwidth.
 */
export function diverse(base: TaskDistribution, options: DiverseOptions = {}): TaskDistribution {
  const fn = 'meta.tasks.diverse';
  if (typeof base !== 'object' || base === null || typeof base.sample !== 'function')
    throw new TypeError(`${fn}: base: expected a task distribution`);
  checkKnownKeys(options, ['pool', 'bandwidth'], fn);
  const pool = options.pool ?? 4;
  checkInteger(pool, `${fn}: pool`, 1, 1024);
  const bw = options.bandwidth;
  if (bw !== undefined) {
    checkRange(bw, `${fn}: bandwidth`, 0, Number.MAX_VALUE);
    if (!(bw > 0)) throw new RangeError(`${fn}: bandwidth: expected a number > 0`);
  }
  return {
    name: `diverse(${base.name})`,
    kind: base.kind,
    inputDim: base.inputDim,
    outputDim: base.outputDim,
    ...(base.truth ? { truth: base.truth.bind(base) } : {}),
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const all = base.sample(key, count * pool, shots, queries);
      if (pool === 1) return all;
      const { e, width } = embeddings(all);
      return subBatch(all, greedyDppMap(e, width, all.count, count, bw));
    },
  };
}
