// Shampoo's block plan: which rows×cols blocks of a flat buffer get their own Kronecker factors.
// A 2-D segment [m, n] (row-major) is cut into blocks of at most blockSize per side (the scalable
// version's blocking); a 1-D segment (or a buffer without layout) into chunks of at most blockSize,
// each a 1×len block whose only factor is len×len. Higher-rank shapes are merged to 2-D as
// [shape[0], rest] (the scalable version merges small dims the same way).
import { segmentSize, segmentTable } from '../internal.js';
import type { ParamLayout } from '../types.js';

/** One preconditioned block: element (i, j) of the block lives at offset + (r0 + i)·stride + c0 + j. */
export interface Block {
  /** First element of the segment holding the block. */
  readonly offset: number;
  /** Row stride of the segment (its column count). */
  readonly stride: number;
  readonly r0: number;
  readonly c0: number;
  readonly rows: number;
  readonly cols: number;
  /** Tensor order of the block: 1 (vector chunk, one factor) or 2 (matrix, two factors). */
  readonly order: 1 | 2;
}

function cuts(n: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 0; at < n; at += size) out.push([at, Math.min(size, n - at)]);
  return out;
}

/** The blocks of a buffer of n parameters under `layout` (segments with a shape of rank ≥ 2 are matrices). */
export function planBlocks(fn: string, layout: ParamLayout | undefined, n: number, blockSize: number): Block[] {
  segmentTable(fn, layout, n); // the layout must tile the buffer
  const segments = layout ?? [{ name: 'params', offset: 0, size: n }];
  const blocks: Block[] = [];
  for (const s of segments) {
    const size = segmentSize(s);
    if (size === 0) continue;
    const shape = s.shape?.filter((d) => d !== 1) ?? [size];
    if (shape.length >= 2) {
      const rows = shape[0] as number;
      const cols = size / rows;
      for (const [r0, br] of cuts(rows, blockSize))
        for (const [c0, bc] of cuts(cols, blockSize))
          blocks.push({ offset: s.offset, stride: cols, r0, c0, rows: br, cols: bc, order: 2 });
    } else {
      for (const [c0, bc] of cuts(size, blockSize))
        blocks.push({ offset: s.offset, stride: size, r0: 0, c0, rows: 1, cols: bc, order: 1 });
    }
  }
  return blocks;
}

/** Copies block b of `src` into the contiguous rows×cols `dst`. */
export function gather(b: Block, src: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < b.rows; i++) {
    const from = b.offset + (b.r0 + i) * b.stride + b.c0;
    dst.set(src.subarray(from, from + b.cols), i * b.cols);
  }
}

/** Writes the contiguous rows×cols `src` into block b of `dst`. */
export function scatter(b: Block, src: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < b.rows; i++)
    dst.set(src.subarray(i * b.cols, (i + 1) * b.cols), b.offset + (b.r0 + i) * b.stride + b.c0);
}
