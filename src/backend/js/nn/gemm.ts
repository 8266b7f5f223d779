// Twin of native/core/nn/gemm.cc: C = A·B (+ C) with a strided A, row-major B and C. Each output
// element is accumulated in float64 over k in increasing order, then rounded once to float32.

let acc = new Float64Array(4 * 256);

/**
 * C[M × N] = A[M × K]·B[K × N] (or += when `accumulate`). A's element (i, p) is
 * A[aOff + i·ars + p·acs]; B and C are row-major with leading dimensions ldb and ldc.
 * Four rows at a time share each load of B.
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
  if (acc.length < 4 * N) acc = new Float64Array(4 * N);
  const s = acc;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const c0 = cOff + i * ldc;
    for (let r = 0; r < 4; r++) {
      const o = r * N;
      const c = c0 + r * ldc;
      if (accumulate) for (let j = 0; j < N; j++) s[o + j] = C[c + j] as number;
      else s.fill(0, o, o + N);
    }
    let ai = aOff + i * ars;
    let b0 = bOff;
    for (let p = 0; p < K; p++, ai += acs, b0 += ldb) {
      const a0 = A[ai] as number;
      const a1 = A[ai + ars] as number;
      const a2 = A[ai + 2 * ars] as number;
      const a3 = A[ai + 3 * ars] as number;
      for (let j = 0; j < N; j++) {
        const b = B[b0 + j] as number;
        s[j] = (s[j] as number) + a0 * b;
        s[N + j] = (s[N + j] as number) + a1 * b;
        s[2 * N + j] = (s[2 * N + j] as number) + a2 * b;
        s[3 * N + j] = (s[3 * N + j] as number) + a3 * b;
      }
    }
    for (let r = 0; r < 4; r++) {
      const o = r * N;
      const c = c0 + r * ldc;
      for (let j = 0; j < N; j++) C[c + j] = s[o + j] as number;
    }
  }
  for (; i < M; i++) {
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
