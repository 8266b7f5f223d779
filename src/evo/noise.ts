// A shared noise table (OpenAI-ES): one block of standard normals; a perturbation is the slice
// table[i .. i+dim) at an index i, so workers and archives exchange indices, not vectors.
import { getBackend } from '../backend/index.js';
import { type Key, key as makeKey } from '../random/index.js';
import { checkInteger, checkUint32 } from '../util/check.js';

/** A block of standard normals shared by workers; a perturbation is a slice at an index. */
export interface NoiseTable {
  /** The normals (float32). */
  readonly data: Float32Array;
}

/** A table of `size` standard normals from a key or an integer seed (the stream's first `size` normals). */
export function noiseTable(seed: Key | number, size: number): NoiseTable {
  checkInteger(size, 'noiseTable: size', 1, 2 ** 31 - 1);
  if (typeof seed !== 'number') checkUint32(seed, 'noiseTable: seed (a key)', 2);
  const k = typeof seed === 'number' ? makeKey(seed) : seed;
  const data = new Float32Array(size);
  getBackend().randomNormal(k, 0, data);
  return { data };
}

/** n indices uniform in [0, table.length − dim] from 32-bit words (multiply-shift). */
export function tableIndices(words: Uint32Array, tableLength: number, dim: number): Uint32Array {
  const range = tableLength - dim + 1;
  if (range < 1) throw new RangeError(`noise table: expected at least dim = ${dim} elements, got ${tableLength}`);
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = Math.floor(((words[i] as number) / 4294967296) * range);
  return out;
}
