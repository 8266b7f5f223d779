// Novelty search (Lehman & Stanley 2011): a member's novelty is the mean Euclidean distance from
// its behaviour descriptor to its k nearest neighbours among the archive and the rest of the
// current batch. The archive keeps at most `maxSize` descriptors, dropping the oldest first.
import { checkFloat32, checkInteger } from '../util/check.js';

/** Descriptor length, neighbour count and capacity of a novelty archive. */
export interface NoveltyArchiveOptions {
  /** Length of a behaviour descriptor. */
  dim: number;
  /** Neighbours averaged, default 15. */
  k?: number;
  /** Largest archive size, default 10 000. */
  maxSize?: number;
}

/**
 * A k-nearest-neighbour novelty archive (Lehman & Stanley 2011) of behaviour descriptors; holds
 * at most `maxSize`, dropping the oldest first. Made by `noveltyArchive`; `add` mutates it.
 */
export interface NoveltyArchive {
  /** Length of a behaviour descriptor. */
  readonly dim: number;
  /** Neighbours averaged. */
  readonly k: number;
  /** Descriptors stored. */
  readonly size: number;
  /** The stored descriptors, oldest first [size × dim]. */
  descriptors(): Float32Array;
  /** Novelty of each row of `batch` [n × dim] against the archive and the other rows of the batch. */
  novelty(batch: Float32Array): Float64Array;
  /** Appends rows of `batch` (all, or those listed in `rows`). */
  add(batch: Float32Array, rows?: readonly number[]): void;
}

/** An empty k-nearest-neighbour novelty archive. */
export function noveltyArchive(options: NoveltyArchiveOptions): NoveltyArchive {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('noveltyArchive: expected an options object { dim, k?, maxSize? }');
  checkInteger(options.dim, 'noveltyArchive: dim', 1, 1 << 20);
  const dim = options.dim;
  const k = options.k ?? 15;
  checkInteger(k, 'noveltyArchive: k', 1, 1 << 20);
  const maxSize = options.maxSize ?? 10_000;
  checkInteger(maxSize, 'noveltyArchive: maxSize', 1, 1 << 24);
  let store = new Float32Array(0);
  let size = 0;

  const checkBatch = (batch: Float32Array, name: string) => {
    checkFloat32(batch, name);
    if (batch.length % dim !== 0)
      throw new RangeError(`${name}: expected a multiple of dim = ${dim} elements, got ${batch.length}`);
  };
  const dist2 = (a: Float32Array, ia: number, b: Float32Array, ib: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const d = (a[ia + j] as number) - (b[ib + j] as number);
      s += d * d;
    }
    return s;
  };

  return {
    dim,
    k,
    get size() {
      return size;
    },
    descriptors: () => store.slice(0, size * dim),
    novelty(batch) {
      checkBatch(batch, 'novelty: batch');
      const n = batch.length / dim;
      const out = new Float64Array(n);
      const d = new Float64Array(size + n - 1);
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (let a = 0; a < size; a++) d[m++] = dist2(batch, i * dim, store, a * dim);
        for (let o = 0; o < n; o++) if (o !== i) d[m++] = dist2(batch, i * dim, batch, o * dim);
        if (m === 0) continue;
        const sorted = d.subarray(0, m).sort();
        const kk = Math.min(k, m);
        let s = 0;
        for (let t = 0; t < kk; t++) s += Math.sqrt(sorted[t] as number);
        out[i] = s / kk;
      }
      return out;
    },
    add(batch, rows) {
      checkBatch(batch, 'add: batch');
      const n = batch.length / dim;
      const picked = rows ?? Array.from({ length: n }, (_, i) => i);
      for (const r of picked) checkInteger(r, 'add: rows[]', 0, n - 1);
      const next = new Float32Array(Math.min(maxSize, size + picked.length) * dim);
      const all = size + picked.length;
      const drop = Math.max(0, all - maxSize);
      let w = 0;
      for (let a = drop; a < size; a++) next.set(store.subarray(a * dim, (a + 1) * dim), w++ * dim);
      picked.forEach((r, idx) => {
        if (size + idx >= drop) next.set(batch.subarray(r * dim, (r + 1) * dim), w++ * dim);
      });
      store = next;
      size = w;
    },
  };
}
