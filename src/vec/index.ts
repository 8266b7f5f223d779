/**
 * Vector basics over Float32Arrays, on the current backend.
 *
 * @module
 */
import { getBackend } from '../backend/index.js';
import { checkFloat32, checkNumber } from '../util/check.js';

/** y += a·x, in place. */
export function axpy(a: number, x: Float32Array, y: Float32Array): void {
  checkNumber(a, 'a');
  checkFloat32(x, 'x');
  checkFloat32(y, 'y', x.length);
  getBackend().axpy(a, x, y);
}

/** x *= a, in place. */
export function scale(a: number, x: Float32Array): void {
  checkNumber(a, 'a');
  checkFloat32(x, 'x');
  getBackend().scale(a, x);
}

/** Σ xᵢyᵢ, accumulated in float64. */
export function dot(x: Float32Array, y: Float32Array): number {
  checkFloat32(x, 'x');
  checkFloat32(y, 'y', x.length);
  return getBackend().dot(x, y);
}

/** Σ xᵢ, accumulated in float64. */
export function sum(x: Float32Array): number {
  checkFloat32(x, 'x');
  return getBackend().sum(x);
}

/** √(Σ over all buffers of Σ xᵢ²): the global norm used by gradient clipping. */
export function globalNorm(buffers: Float32Array | readonly Float32Array[]): number {
  const list = buffers instanceof Float32Array ? [buffers] : buffers;
  if (!Array.isArray(list)) throw new TypeError('buffers: expected a Float32Array or an array of them');
  const b = getBackend();
  let s = 0;
  list.forEach((x, i) => {
    checkFloat32(x, `buffers[${i}]`);
    s += b.sumSquares(x);
  });
  return Math.sqrt(s);
}
