// Philox4x32-10 in TypeScript: the twin of native/core/rng/philox.{h,cc}, bit-identical on raw
// words. 32×32→64 products are split into 16-bit halves because JS numbers hold 53 bits.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const M0_LO = M0 & 0xffff;
const M0_HI = M0 >>> 16;
const M1_LO = M1 & 0xffff;
const M1_HI = M1 >>> 16;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

export const SPLIT_DOMAIN = 0x53504c54;
export const FOLD_DOMAIN = 0x464f4c44;

/** High 32 bits of the unsigned product m·b, where m = mHi·2^16 + mLo. */
function mulhi(mLo: number, mHi: number, b: number): number {
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const t = mHi * bLo + ((mLo * bLo) >>> 16);
  const w1 = (t & 0xffff) + mLo * bHi;
  return (mHi * bHi + (t >>> 16) + (w1 >>> 16)) >>> 0;
}

/** One Philox4x32-10 block into out[offset..offset+3]. */
export function philoxBlock(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  out: Uint32Array,
  offset: number,
): void {
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0_LO, M0_HI, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1_LO, M1_HI, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[offset] = c0;
  out[offset + 1] = c1;
  out[offset + 2] = c2;
  out[offset + 3] = c3;
}

const scratch = new Uint32Array(4);

/** The key derived from (key, index) in a domain. */
export function derive(k0: number, k1: number, index: number, domain: number, out: Uint32Array): void {
  philoxBlock(k0, k1, index >>> 0, 0, 0, domain >>> 0, scratch, 0);
  out[0] = scratch[0] as number;
  out[1] = scratch[1] as number;
}

/** Block b of stream (key, counter): counter + b split into two 32-bit words. */
function streamBlock(k0: number, k1: number, counter: number, b: number, out: Uint32Array): void {
  const c = counter + b;
  philoxBlock(k0, k1, c >>> 0, Math.floor(c / 4294967296) >>> 0, 0, 0, out, 0);
}

export function fillBits(key: Uint32Array, counter: number, out: Uint32Array): void {
  const k0 = key[0] as number;
  const k1 = key[1] as number;
  const n = out.length;
  for (let b = 0; 4 * b < n; b++) {
    streamBlock(k0, k1, counter, b, scratch);
    for (let lane = 0; lane < 4 && 4 * b + lane < n; lane++) out[4 * b + lane] = scratch[lane] as number;
  }
}

const INV_2_24 = 1 / 16777216;

export function fillUniform(key: Uint32Array, counter: number, out: Float32Array): void {
  const k0 = key[0] as number;
  const k1 = key[1] as number;
  const n = out.length;
  for (let b = 0; 4 * b < n; b++) {
    streamBlock(k0, k1, counter, b, scratch);
    for (let lane = 0; lane < 4 && 4 * b + lane < n; lane++)
      out[4 * b + lane] = ((scratch[lane] as number) >>> 8) * INV_2_24;
  }
}

const TWO_PI = 6.283185307179586;
const normals = new Float64Array(4);

function boxMuller(w0: number, w1: number, out: Float64Array, offset: number): void {
  const u1 = ((w0 >>> 8) + 1) * INV_2_24;
  const u2 = (w1 >>> 8) * INV_2_24;
  const r = Math.sqrt(-2 * Math.log(u1));
  const a = TWO_PI * u2;
  out[offset] = r * Math.cos(a);
  out[offset + 1] = r * Math.sin(a);
}

export function fillNormal(key: Uint32Array, counter: number, out: Float32Array): void {
  const k0 = key[0] as number;
  const k1 = key[1] as number;
  const n = out.length;
  for (let b = 0; 4 * b < n; b++) {
    streamBlock(k0, k1, counter, b, scratch);
    boxMuller(scratch[0] as number, scratch[1] as number, normals, 0);
    boxMuller(scratch[2] as number, scratch[3] as number, normals, 2);
    for (let lane = 0; lane < 4 && 4 * b + lane < n; lane++) out[4 * b + lane] = normals[lane] as number;
  }
}
