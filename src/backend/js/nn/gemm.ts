// Twin of native/core/nn/gemm.cc: C = A·B (+ C) with a strided A, row-major B and C. Each output
// row is accumulated in float64 over k in increasing order, then rounded once to float32.

let acc = new Float64Array(256);

/**
 * C[M × N] = A[M × K]·B[K × N] (or += when `accumulate`). A's element (i, p) is
 * A[aOff + i·ars + p·acs]; B and C are row-major with leading dimensions ldb and ldc.
 */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  ars: number,
  acs: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (acc.length < N) acc = new Float64Array(N);
  const s = acc;
  for (let i = 0; i < M; i++) {
    const c0 = cOff + i * ldc;
    if (accumulate) for (let j = 0; j < N; j++) s[j] = C[c0 + j] as number;
    else s.fill(0, 0, N);
    let ai = aOff + i * ars;
    let b0 = bOff;
    for (let p = 0; p < K; p++, ai += acs, b0 += ldb) {
      const a = A[ai] as number;
      for (let j = 0; j < N; j++) s[j] = (s[j] as number) + a * (B[b0 + j] as number);
    }
    for (let j = 0; j < N; j++) C[c0 + j] = s[j] as number;
  }
}

/** dst[cols × rows] = src[rows × cols]ᵀ (src from srcOff, dst from dstOff). */
export function transpose(
  src: Float32Array,
  srcOff: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  dstOff: number,
): void {
  for (let i = 0; i < rows; i++) {
    const s = srcOff + i * cols;
    for (let j = 0; j < cols; j++) dst[dstOff + j * rows + i] = src[s + j] as number;
  }
}
