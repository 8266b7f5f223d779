import { describe, expect, it } from 'vitest';
import { random } from '../src/index.js';
import { backends, firstDifference, jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

// Random123's tests/kat_vectors, the three philox4x32 10 lines: counter, key → output.
const KAT: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

describe.each(backends)('random kernels (%s)', (_name, b) => {
  it('matches the Philox4x32-10 known-answer vectors', () => {
    for (const [ctr, key, expected] of KAT) {
      const out = new Uint32Array(4);
      b.philoxBlock(new Uint32Array(key), new Uint32Array(ctr), out);
      expect([...out]).toEqual(expected);
    }
  });

  it('lays out a stream as blocks of counter + b', () => {
    const key = new Uint32Array([0xa4093822, 0x299f31d0]);
    const words = new Uint32Array(10);
    b.randomBits(key, 2 ** 32 - 1, words); // crosses the low-word carry
    const block = new Uint32Array(4);
    b.philoxBlock(key, new Uint32Array([0xffffffff, 0, 0, 0]), block);
    expect([...words.subarray(0, 4)]).toEqual([...block]);
    b.philoxBlock(key, new Uint32Array([0, 1, 0, 0]), block);
    expect([...words.subarray(4, 8)]).toEqual([...block]);
  });

  it('gives uniforms in [0, 1) with the right mean and variance', () => {
    const out = new Float32Array(200_000);
    b.randomUniform(new Uint32Array([7, 0]), 0, out);
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (const v of out) {
      if (!(v >= 0 && v < 1)) outside++;
      s += v;
      s2 += v * v;
    }
    expect(outside).toBe(0);
    const mean = s / out.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(s2 / out.length - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('gives normals with mean 0, variance 1 and normal tails', () => {
    const out = new Float32Array(200_001); // odd length: the last pair is cut
    b.randomNormal(new Uint32Array([3, 1]), 5, out);
    let s = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (const v of out) {
      s += v;
      s2 += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    expect(Math.abs(s / out.length)).toBeLessThan(0.01);
    expect(s2 / out.length).toBeCloseTo(1, 1);
    expect(beyond2 / out.length).toBeCloseTo(0.0455, 2);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('resolves async fills with the same numbers as the sync fill', async () => {
    const key = new Uint32Array([11, 12]);
    const a = new Float32Array(50_000);
    const c = new Float32Array(50_000);
    await b.randomNormalAsync(key, 3, a);
    b.randomNormal(key, 3, c);
    expect(a).toEqual(c);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('random parity'), () => {
  it('raw words, uniforms and derived keys are bit-identical', () => {
    const n = nativeBackend!;
    const key = new Uint32Array([0xdeadbeef, 42]);
    for (const counter of [0, 1, 2 ** 32 - 3, 2 ** 40 + 5]) {
      const a = new Uint32Array(1003);
      const c = new Uint32Array(1003);
      n.randomBits(key, counter, a);
      jsBackend.randomBits(key, counter, c);
      expect(a).toEqual(c);
      const u = new Float32Array(1003);
      const v = new Float32Array(1003);
      n.randomUniform(key, counter, u);
      jsBackend.randomUniform(key, counter, v);
      expect(u).toEqual(v);
    }
    const k1 = new Uint32Array(2);
    const k2 = new Uint32Array(2);
    for (const i of [0, 1, 99, 2 ** 32 - 1]) {
      n.randomDerive(key, i, 0x464f4c44, k1);
      jsBackend.randomDerive(key, i, 0x464f4c44, k2);
      expect(k1).toEqual(k2);
    }
  });

  it('normals agree to float32 rounding (libm vs V8 transcendental functions)', () => {
    const key = new Uint32Array([1, 2]);
    const a = new Float32Array(100_000);
    const c = new Float32Array(100_000);
    nativeBackend!.randomNormal(key, 0, a);
    jsBackend.randomNormal(key, 0, c);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (c[i] as number)));
    expect(worst).toBeLessThan(1e-6);
  });

  it('threaded fills equal single-threaded fills', () => {
    const n = nativeBackend!;
    const before = n.threads();
    const key = new Uint32Array([5, 6]);
    const a = new Float32Array(1_000_003);
    const c = new Float32Array(1_000_003);
    n.threads(1);
    n.randomNormal(key, 0, a);
    n.threads(2);
    n.randomNormal(key, 0, c);
    n.threads(before);
    expect(firstDifference(a, c)).toBe(-1);
  });
});

describe('random public API', () => {
  it('key, split and fold are deterministic and distinct', () => {
    const k = random.key(2 ** 40 + 3);
    expect([...k]).toEqual([3, 256]);
    const [a, b] = random.split(k);
    expect(a).not.toEqual(b);
    expect(random.split(k)[0]).toEqual(a);
    expect(random.fold(k, 1)).not.toEqual(random.fold(k, 2));
    expect(random.uniform(k, 8)).toEqual(random.uniform(k, 8));
  });

  it('rejects bad input with named errors', () => {
    expect(() => random.key(-1)).toThrow(RangeError);
    expect(() => random.key(1.5)).toThrow(/seed/);
    expect(() => random.uniform(new Uint32Array(3), 4)).toThrow(/key: expected length 2/);
    expect(() => random.normal(random.key(0), Number.NaN)).toThrow(RangeError);
    expect(() => random.split(random.key(0), 0)).toThrow(RangeError);
    // @ts-expect-error wrong type on purpose
    expect(() => random.uniform([1, 2], 4)).toThrow(TypeError);
  });

  it('normalAsync resolves to the same numbers as normal', async () => {
    const k = random.key(9);
    expect(await random.normalAsync(k, 1000)).toEqual(random.normal(k, 1000));
  });
});
