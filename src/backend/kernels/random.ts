/**
 * Random kernels: Philox4x32-10 streams (see native/core/rng/philox.h for the layout).
 * A key is a Uint32Array of two words; `counter` is the first block of the stream.
 */
export interface RandomKernels {
  randomBits(key: Uint32Array, counter: number, out: Uint32Array): void;
  randomUniform(key: Uint32Array, counter: number, out: Float32Array): void;
  randomNormal(key: Uint32Array, counter: number, out: Float32Array): void;
  /** Fills on a worker thread; `out` must not be touched until the promise settles. */
  randomUniformAsync(key: Uint32Array, counter: number, out: Float32Array): Promise<void>;
  /** Fills on a worker thread; `out` must not be touched until the promise settles. */
  randomNormalAsync(key: Uint32Array, counter: number, out: Float32Array): Promise<void>;
  /** One raw Philox4x32-10 block for a full 128-bit counter (known-answer tests). */
  philoxBlock(key: Uint32Array, counter: Uint32Array, out: Uint32Array): void;
  /** Writes the key derived from (key, index) in a domain (split or fold) into out[0..1]. */
  randomDerive(key: Uint32Array, index: number, domain: number, out: Uint32Array): void;
}
