// Population generation: the twin of native/core/es/perturb.cc. Each member coordinate is
// rounded as the native code computes it (float product, then float sum; the addon is built
// with -ffp-contract=off), so both backends give the same bits from the same noise.

import type { EsKernels } from '../../kernels/es.js';
import { fillNormal } from '../rng/philox.js';
import { checkIndices, checkSigma, membersFor } from './checks.js';

function perturbRows(
  noise: Float32Array,
  offsets: ArrayLike<number>,
  numNoise: number,
  mean: Float32Array,
  sigma: Float32Array,
  antithetic: boolean,
  out: Float32Array,
): void {
  const dim = mean.length;
  const stride = antithetic ? 2 * dim : dim;
  const scalar = sigma.length === 1;
  const s0 = sigma[0] as number;
  for (let i = 0; i < numNoise; i++) {
    const e = offsets[i] as number;
    const plus = i * stride;
    const minus = plus + dim;
    for (let j = 0; j < dim; j++) {
      const d = Math.fround((scalar ? s0 : (sigma[j] as number)) * (noise[e + j] as number));
      const m = mean[j] as number;
      out[plus + j] = m + d;
      if (antithetic) out[minus + j] = m - d;
    }
  }
}

export const esPerturbTable: EsKernels['esPerturbTable'] = (table, indices, mean, sigma, antithetic, out) => {
  checkSigma(sigma, mean.length);
  if (out.length !== membersFor(indices.length, antithetic) * mean.length)
    throw new RangeError(
      `out: expected length ${membersFor(indices.length, antithetic) * mean.length}, got ${out.length}`,
    );
  checkIndices(indices, table.length, mean.length);
  perturbRows(table, indices, indices.length, mean, sigma, antithetic, out);
};

export const esPerturbNormal: EsKernels['esPerturbNormal'] = (key, counter, mean, sigma, antithetic, eps, out) => {
  const dim = mean.length;
  if (dim === 0) throw new RangeError('mean: expected at least one element');
  checkSigma(sigma, dim);
  if (eps.length % dim !== 0)
    throw new RangeError(`eps: expected a multiple of dim = ${dim} elements, got ${eps.length}`);
  const numNoise = eps.length / dim;
  if (out.length !== membersFor(numNoise, antithetic) * dim)
    throw new RangeError(`out: expected length ${membersFor(numNoise, antithetic) * dim}, got ${out.length}`);
  fillNormal(key, counter, eps);
  const offsets = new Uint32Array(numNoise);
  for (let i = 0; i < numNoise; i++) offsets[i] = i * dim;
  perturbRows(eps, offsets, numNoise, mean, sigma, antithetic, out);
};
