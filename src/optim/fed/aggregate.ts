// The server's average of client deltas Δ_i = x_i − x_t, weighted (the paper and the
// google-research runs weight clients by their number of examples).

/**
 * Σ_i w_i Δ_i / Σ_i w_i, accumulated in float64. Weights default to equal.
 * @param deltas one Float32Array per client, all of one length.
 * @param weights one non-negative weight per client (e.g. its number of examples), not all zero.
 */
export function meanDelta(deltas: readonly Float32Array[], weights?: readonly number[]): Float32Array {
  const fn = 'optim.federated.meanDelta';
  if (!Array.isArray(deltas) || deltas.length === 0) throw new TypeError(`${fn}: deltas: expected a non-empty array`);
  const n = deltas[0]?.length ?? 0;
  deltas.forEach((d, i) => {
    if (!(d instanceof Float32Array)) throw new TypeError(`${fn}: deltas[${i}]: expected a Float32Array`);
    if (d.length !== n) throw new RangeError(`${fn}: deltas[${i}]: length ${d.length}, expected ${n}`);
  });
  if (weights !== undefined && weights.length !== deltas.length)
    throw new RangeError(`${fn}: weights: expected ${deltas.length} weights, got ${weights.length}`);
  let total = 0;
  const w = deltas.map((_, i) => {
    const x = weights === undefined ? 1 : weights[i]!;
    if (!(Number.isFinite(x) && x >= 0)) throw new RangeError(`${fn}: weights[${i}]: expected a finite number >= 0`);
    total += x;
    return x;
  });
  if (!(total > 0)) throw new RangeError(`${fn}: weights: must not all be zero`);
  const acc = new Float64Array(n);
  deltas.forEach((d, i) => {
    const c = w[i]! / total;
    for (let j = 0; j < n; j++) acc[j] = acc[j]! + c * d[j]!;
  });
  return Float32Array.from(acc);
}
