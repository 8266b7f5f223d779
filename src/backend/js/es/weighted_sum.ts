// The ES gradient estimate Σ_i w_i e_i: the twin of native/core/es/weighted_sum.cc. Sums run in
// float64 over i in order for each coordinate, as in the native code.

import type { EsKernels } from '../../kernels/es.js';
import { checkIndices } from './checks.js';

function weightedSum(
  noise: Float32Array,
  offsets: ArrayLike<number>,
  weights: Float64Array,
  out: Float32Array,
  acc: Float64Array,
): void {
  const dim = out.length;
  acc.fill(0);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    const e = offsets[i] as number;
    for (let j = 0; j < dim; j++) acc[j] = (acc[j] as number) + w * (noise[e + j] as number);
  }
  for (let j = 0; j < dim; j++) out[j] = acc[j] as number;
}

export const esWeightedSumTable: EsKernels['esWeightedSumTable'] = (table, indices, weights, out) => {
  if (weights.length !== indices.length)
    throw new RangeError(`weights: expected length ${indices.length}, got ${weights.length}`);
  checkIndices(indices, table.length, out.length);
  weightedSum(table, indices, weights, out, new Float64Array(out.length));
};

export const esWeightedSumRows: EsKernels['esWeightedSumRows'] = (rows, weights, out) => {
  const dim = out.length;
  if (rows.length !== weights.length * dim)
    throw new RangeError(`rows: expected length ${weights.length * dim}, got ${rows.length}`);
  const offsets = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) offsets[i] = i * dim;
  weightedSum(rows, offsets, weights, out, new Float64Array(dim));
};
