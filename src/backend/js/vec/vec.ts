// Vector basics in TypeScript: the twin of native/core/vec/vec.cc. Reductions use the same
// 4096-element blocks and eight float64 lanes as the native code, so they give the same sums.
import type { VectorKernels } from '../../kernels/vector.js';

const REDUCE_BLOCK = 4096;

export const axpy: VectorKernels['axpy'] = (a, x, y) => {
  const af = Math.fround(a);
  for (let i = 0; i < x.length; i++) y[i] = (y[i] as number) + Math.fround(af * (x[i] as number));
};

export const scale: VectorKernels['scale'] = (a, x) => {
  const af = Math.fround(a);
  for (let i = 0; i < x.length; i++) x[i] = af * (x[i] as number);
};

function dotBlock(x: Float32Array, y: Float32Array, begin: number, n: number): number {
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0;
  let i = begin;
  const end = begin + n;
  for (; i + 8 <= end; i += 8) {
    a0 += (x[i] as number) * (y[i] as number);
    a1 += (x[i + 1] as number) * (y[i + 1] as number);
    a2 += (x[i + 2] as number) * (y[i + 2] as number);
    a3 += (x[i + 3] as number) * (y[i + 3] as number);
    a4 += (x[i + 4] as number) * (y[i + 4] as number);
    a5 += (x[i + 5] as number) * (y[i + 5] as number);
    a6 += (x[i + 6] as number) * (y[i + 6] as number);
    a7 += (x[i + 7] as number) * (y[i + 7] as number);
  }
  let s = 0;
  for (; i < end; i++) s += (x[i] as number) * (y[i] as number);
  return s + (a0 + a1 + (a2 + a3)) + (a4 + a5 + (a6 + a7));
}

function sumBlock(x: Float32Array, begin: number, n: number): number {
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0;
  let i = begin;
  const end = begin + n;
  for (; i + 8 <= end; i += 8) {
    a0 += x[i] as number;
    a1 += x[i + 1] as number;
    a2 += x[i + 2] as number;
    a3 += x[i + 3] as number;
    a4 += x[i + 4] as number;
    a5 += x[i + 5] as number;
    a6 += x[i + 6] as number;
    a7 += x[i + 7] as number;
  }
  let s = 0;
  for (; i < end; i++) s += x[i] as number;
  return s + (a0 + a1 + (a2 + a3)) + (a4 + a5 + (a6 + a7));
}

export const dot: VectorKernels['dot'] = (x, y) => {
  let s = 0;
  for (let b = 0; b < x.length; b += REDUCE_BLOCK) s += dotBlock(x, y, b, Math.min(REDUCE_BLOCK, x.length - b));
  return s;
};

export const sum: VectorKernels['sum'] = (x) => {
  let s = 0;
  for (let b = 0; b < x.length; b += REDUCE_BLOCK) s += sumBlock(x, b, Math.min(REDUCE_BLOCK, x.length - b));
  return s;
};

export const sumSquares: VectorKernels['sumSquares'] = (x) => {
  return dot(x, x);
};

export const allFinite: VectorKernels['allFinite'] = (x) => {
  for (let i = 0; i < x.length; i++) {
    // x - x is NaN exactly when x is NaN or ±Inf.
    const v = x[i] as number;
    if (v - v !== 0) return false;
  }
  return true;
};
