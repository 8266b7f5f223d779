import { describe, expect, it } from 'vitest';
import { backends, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';

const table = Float32Array.from({ length: 32 }, (_, i) => (i % 7) - 3 + i / 64);

describe.each(backends)('es kernels (%s)', (_name, b) => {
  it('builds antithetic pairs mean ± σ·table slice', () => {
    const mean = new Float32Array([0.5, -1, 2]);
    const indices = new Uint32Array([0, 5, 29]);
    const out = new Float32Array(6 * 3);
    b.esPerturbTable(table, indices, mean, new Float32Array([0.25]), true, out);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        const d = Math.fround(0.25 * (table[(indices[i] as number) + j] as number));
        expect(out[2 * i * 3 + j]).toBe(Math.fround((mean[j] as number) + d));
        expect(out[(2 * i + 1) * 3 + j]).toBe(Math.fround((mean[j] as number) - d));
      }
  });

  it('uses per-coordinate σ and plain (non-antithetic) rows', () => {
    const mean = new Float32Array([1, 2]);
    const sigma = new Float32Array([0.5, 2]);
    const out = new Float32Array(2 * 2);
    b.esPerturbTable(table, new Uint32Array([3, 10]), mean, sigma, false, out);
    expect([...out]).toEqual([
      Math.fround(1 + 0.5 * (table[3] as number)),
      Math.fround(2 + 2 * (table[4] as number)),
      Math.fround(1 + 0.5 * (table[10] as number)),
      Math.fround(2 + 2 * (table[11] as number)),
    ]);
  });

  it('draws stream normals identical to randomNormal and perturbs with them', () => {
    const key = new Uint32Array([9, 4]);
    const mean = new Float32Array([1, -1, 0, 3]);
    const eps = new Float32Array(3 * 4);
    const out = new Float32Array(6 * 4);
    b.esPerturbNormal(key, 7, mean, new Float32Array([0.1]), true, eps, out);
    const ref = new Float32Array(12);
    b.randomNormal(key, 7, ref);
    expect([...eps]).toEqual([...ref]);
    expect(out[4 + 2]).toBe(Math.fround(0 - Math.fround(0.1 * (eps[2] as number))));
  });

  it('sums weighted noise slices and rows in float64', () => {
    const w = new Float64Array([0.5, -2, 1e-3]);
    const idx = new Uint32Array([1, 4, 20]);
    const out = new Float32Array(5);
    b.esWeightedSumTable(table, idx, w, out);
    const rows = new Float32Array(15);
    for (let i = 0; i < 3; i++) rows.set(table.subarray(idx[i], (idx[i] as number) + 5), i * 5);
    const out2 = new Float32Array(5);
    b.esWeightedSumRows(rows, w, out2);
    for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let i = 0; i < 3; i++) s += (w[i] as number) * (table[(idx[i] as number) + j] as number);
      expect(out[j]).toBe(Math.fround(s));
      expect(out2[j]).toBe(Math.fround(s));
    }
  });

  it('gives exact centered ranks, averaging ties and ranking non-finite values last', () => {
    const out = new Float64Array(4);
    b.esCenteredRanks(new Float64Array([3, 1, 2, 0]), out);
    expect([...out]).toEqual([3 / 3 - 0.5, 1 / 3 - 0.5, 2 / 3 - 0.5, 0 / 3 - 0.5]);
    const t = new Float64Array(4);
    b.esCenteredRanks(new Float64Array([1, 1, 2, 1]), t);
    expect([...t]).toEqual([1 / 3 - 0.5, 1 / 3 - 0.5, 3 / 3 - 0.5, 1 / 3 - 0.5]);
    const nf = new Float64Array(5);
    b.esCenteredRanks(new Float64Array([Number.NaN, 5, Number.POSITIVE_INFINITY, -1, Number.NEGATIVE_INFINITY]), nf);
    // finite: −1 (rank 0), 5 (rank 1); NaN, +Inf, −Inf tie at ranks 2–4 (mean 3)
    expect([...nf]).toEqual([3 / 4 - 0.5, 1 / 4 - 0.5, 3 / 4 - 0.5, 0 / 4 - 0.5, 3 / 4 - 0.5]);
    const one = new Float64Array(1);
    b.esCenteredRanks(new Float64Array([4]), one);
    expect(one[0]).toBe(0);
  });

  it('rejects bad lengths and out-of-table indices with clear errors', () => {
    const mean = new Float32Array(4);
    expect(() =>
      b.esPerturbTable(table, new Uint32Array([29]), mean, new Float32Array([1]), true, new Float32Array(8)),
    ).toThrow(/indices\[0\]/);
    expect(() =>
      b.esPerturbTable(table, new Uint32Array([0]), mean, new Float32Array(3), true, new Float32Array(8)),
    ).toThrow(/sigma/);
    expect(() =>
      b.esPerturbTable(table, new Uint32Array([0]), mean, new Float32Array([1]), true, new Float32Array(7)),
    ).toThrow(/out/);
    expect(() => b.esWeightedSumRows(new Float32Array(7), new Float64Array(2), new Float32Array(4))).toThrow(/rows/);
    expect(() => b.esCenteredRanks(new Float64Array(3), new Float64Array(2))).toThrow(/out/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('es kernels'), () => {
  it('agree on stream populations and weighted sums', () => {
    const n = nativeBackend!;
    const key = new Uint32Array([1, 2]);
    const mean = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i));
    const sigma = Float32Array.from({ length: 300 }, (_, i) => 0.01 + i / 1000);
    const [e1, e2] = [new Float32Array(16 * 300), new Float32Array(16 * 300)];
    const [o1, o2] = [new Float32Array(32 * 300), new Float32Array(32 * 300)];
    n.esPerturbNormal(key, 3, mean, sigma, true, e1, o1);
    jsBackend.esPerturbNormal(key, 3, mean, sigma, true, e2, o2);
    expect(maxRelDiff(o1, o2)).toBeLessThan(1e-6);
    const w = Float64Array.from({ length: 16 }, (_, i) => i - 7.5);
    const [g1, g2] = [new Float32Array(300), new Float32Array(300)];
    n.esWeightedSumRows(e1, w, g1);
    jsBackend.esWeightedSumRows(e1, w, g2);
    expect([...g1]).toEqual([...g2]);
  });
});
