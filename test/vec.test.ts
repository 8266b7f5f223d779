import { describe, expect, it } from 'vitest';
import { vec } from '../src/index.js';
import { backends, firstDifference, jsBackend, nativeBackend, paritySuite } from './helpers/backends.js';

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  jsBackend.randomNormal(new Uint32Array([seed, 0]), 0, out);
  return out;
}

describe.each(backends)('vector kernels (%s)', (_name, b) => {
  it('axpy and scale match float32 arithmetic', () => {
    const x = filled(10_001, 1);
    const y = filled(10_001, 2);
    const expected = y.map((v, i) => Math.fround(v + Math.fround(Math.fround(0.37) * (x[i] as number))));
    b.axpy(0.37, x, y);
    expect(y).toEqual(expected);
    const z = x.slice();
    b.scale(-2.5, z);
    expect(z).toEqual(x.map((v) => Math.fround(-2.5 * v)));
  });

  it('reductions equal a float64 reference', () => {
    for (const n of [0, 1, 7, 8, 4095, 4097, 100_003]) {
      const x = filled(n, 3);
      const y = filled(n, 4);
      let d = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        d += (x[i] as number) * (y[i] as number);
        s += x[i] as number;
      }
      expect(b.dot(x, y)).toBeCloseTo(d, 8);
      expect(b.sum(x)).toBeCloseTo(s, 8);
      expect(b.sumSquares(x)).toBeCloseTo(b.dot(x, x), 12);
    }
  });

  it('allFinite finds NaN and Inf anywhere', () => {
    const x = filled(20_000, 5);
    expect(b.allFinite(x)).toBe(true);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const y = x.slice();
      y[17_777] = bad;
      expect(b.allFinite(y)).toBe(false);
    }
    expect(b.allFinite(new Float32Array(0))).toBe(true);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('vector parity'), () => {
  it('gives bit-identical results (same blocks, same float64 lanes)', () => {
    const n = nativeBackend!;
    const x = filled(1_000_003, 6);
    const y = filled(1_000_003, 7);
    expect(n.dot(x, y)).toBe(jsBackend.dot(x, y));
    expect(n.sum(x)).toBe(jsBackend.sum(x));
    const y1 = y.slice();
    const y2 = y.slice();
    n.axpy(1e-3, x, y1);
    jsBackend.axpy(1e-3, x, y2);
    expect(firstDifference(y1, y2)).toBe(-1);
  });

  it('reductions do not depend on the thread count', () => {
    const n = nativeBackend!;
    const before = n.threads();
    const x = filled(3_000_001, 8);
    n.threads(1);
    const one = [n.dot(x, x), n.sum(x)];
    n.threads(2);
    const two = [n.dot(x, x), n.sum(x)];
    n.threads(before);
    expect(two).toEqual(one);
  });
});

describe('vec public API', () => {
  it('globalNorm over several buffers', () => {
    expect(vec.globalNorm([new Float32Array([3]), new Float32Array([4])])).toBeCloseTo(5, 12);
    expect(vec.globalNorm(new Float32Array([1, 1, 1, 1]))).toBeCloseTo(2, 12);
  });
  it('checks lengths and types', () => {
    expect(() => vec.axpy(1, new Float32Array(3), new Float32Array(4))).toThrow(/y: expected length 3/);
    // @ts-expect-error wrong type on purpose
    expect(() => vec.dot(new Float64Array(3), new Float32Array(3))).toThrow(TypeError);
    expect(() => vec.scale(Number.NaN, new Float32Array(3))).toThrow(RangeError);
  });
});
