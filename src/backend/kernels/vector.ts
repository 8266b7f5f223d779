/** Fused vector basics over float32 buffers; reductions accumulate in float64. */
export interface VectorKernels {
  /** y += a·x */
  axpy(a: number, x: Float32Array, y: Float32Array): void;
  /** x *= a */
  scale(a: number, x: Float32Array): void;
  dot(x: Float32Array, y: Float32Array): number;
  sum(x: Float32Array): number;
  sumSquares(x: Float32Array): number;
  /** True when no element is NaN or ±Inf. */
  allFinite(x: Float32Array): boolean;
}
