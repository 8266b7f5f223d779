/**
 * Counter-based random numbers (Philox4x32-10). A Key is two 32-bit words; every draw is a pure
 * function of (key, counter), identical in both backends. As in JAX: split a key to get fresh
 * keys, and do not reuse one key for two different draws.
 *
 * @module
 */
import { getBackend } from '../backend/index.js';
import { checkInteger, checkUint32 } from '../util/check.js';

/** A Philox key: a Uint32Array of two words. */
export type Key = Uint32Array;

const SPLIT_DOMAIN = 0x53504c54;
const FOLD_DOMAIN = 0x464f4c44;

function checkKey(key: unknown, name = 'key'): asserts key is Key {
  checkUint32(key, name, 2);
}

/** The key for an integer seed in [0, 2^53). */
export function key(seed: number): Key {
  checkInteger(seed, 'seed');
  return new Uint32Array([seed >>> 0, Math.floor(seed / 4294967296) >>> 0]);
}

/** n independent keys derived from `key`. */
export function split(key: Key, n = 2): Key[] {
  checkKey(key);
  checkInteger(n, 'n', 1, 2 ** 32 - 1);
  const b = getBackend();
  const keys: Key[] = [];
  for (let i = 0; i < n; i++) {
    const k = new Uint32Array(2);
    b.randomDerive(key, i, SPLIT_DOMAIN, k);
    keys.push(k);
  }
  return keys;
}

/** The key derived from `key` and an integer (an env index, a step) — a cheap way to branch a stream. */
export function fold(key: Key, data: number): Key {
  checkKey(key);
  checkInteger(data, 'data', 0, 2 ** 32 - 1);
  const k = new Uint32Array(2);
  getBackend().randomDerive(key, data, FOLD_DOMAIN, k);
  return k;
}

/** n raw 32-bit words. */
export function bits(key: Key, n: number, counter = 0): Uint32Array {
  checkKey(key);
  checkInteger(n, 'n', 0, 2 ** 32 - 1);
  checkInteger(counter, 'counter');
  const out = new Uint32Array(n);
  getBackend().randomBits(key, counter, out);
  return out;
}

/** n floats uniform in [0, 1). */
export function uniform(key: Key, n: number, counter = 0): Float32Array {
  checkKey(key);
  checkInteger(n, 'n', 0, 2 ** 32 - 1);
  checkInteger(counter, 'counter');
  const out = new Float32Array(n);
  getBackend().randomUniform(key, counter, out);
  return out;
}

/** n standard normal floats (Box-Muller). */
export function normal(key: Key, n: number, counter = 0): Float32Array {
  checkKey(key);
  checkInteger(n, 'n', 0, 2 ** 32 - 1);
  checkInteger(counter, 'counter');
  const out = new Float32Array(n);
  getBackend().randomNormal(key, counter, out);
  return out;
}

/** `normal` on a worker thread (native); resolves with the filled array. */
export async function normalAsync(key: Key, n: number, counter = 0): Promise<Float32Array> {
  checkKey(key);
  checkInteger(n, 'n', 0, 2 ** 32 - 1);
  checkInteger(counter, 'counter');
  const out = new Float32Array(n);
  await getBackend().randomNormalAsync(key, counter, out);
  return out;
}

/** `uniform` on a worker thread (native); resolves with the filled array. */
export async function uniformAsync(key: Key, n: number, counter = 0): Promise<Float32Array> {
  checkKey(key);
  checkInteger(n, 'n', 0, 2 ** 32 - 1);
  checkInteger(counter, 'counter');
  const out = new Float32Array(n);
  await getBackend().randomUniformAsync(key, counter, out);
  return out;
}
