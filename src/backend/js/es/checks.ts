// The argument checks the native glue (native/napi/es.cc) makes, for the js twins.

export function membersFor(numNoise: number, antithetic: boolean): number {
  return antithetic ? 2 * numNoise : numNoise;
}

export function checkSigma(sigma: Float32Array, dim: number): void {
  if (sigma.length !== 1 && sigma.length !== dim)
    throw new RangeError(`sigma: expected length 1 or ${dim}, got ${sigma.length}`);
}

/** Every index must address a whole slice of the table. */
export function checkIndices(indices: Uint32Array, tableLen: number, dim: number): void {
  if (dim > tableLen)
    throw new RangeError(`table: expected at least ${dim} elements (one noise vector), got ${tableLen}`);
  const maxIndex = tableLen - dim;
  for (let i = 0; i < indices.length; i++) {
    if ((indices[i] as number) > maxIndex)
      throw new RangeError(
        `indices[${i}]: expected an index in [0, ${maxIndex}] (table length − dim), got ${indices[i]}`,
      );
  }
}
