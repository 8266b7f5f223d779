import { describe, expect, it } from 'vitest';
import { classification, gaussianClusters, linear, mlti, sine } from '../src/meta/tasks/index.js';
import { beta } from '../src/meta/tasks/sampling.js';
import { fold, key } from '../src/random/index.js';

/**
 * Kolmogorov–Smirnov statistic sup |F_n − F| of a sample against a continuous CDF, and its
 * critical value at α = 0.001, √(−½ ln(α/2))/√n: a correct sampler exceeds it with probability
 * 0.001 (and these samples are fixed by their keys), a wrong one by the distance of the CDFs.
 */
function ks(xs: ArrayLike<number>, cdf: (x: number) => number): { d: number; critical: number } {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i] as number);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return { d, critical: Math.sqrt(-0.5 * Math.log(0.001 / 2)) / Math.sqrt(n) };
}

const uniformCdf = (lo: number, hi: number) => (x: number) => Math.min(1, Math.max(0, (x - lo) / (hi - lo)));

/** Regularized incomplete beta I_x(a, b) for integer a, b: P(Binomial(a + b − 1, x) ≥ a). */
function betaCdfInt(a: number, b: number) {
  const n = a + b - 1;
  const choose = (k: number) => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c;
  };
  return (x: number) => {
    let s = 0;
    for (let j = a; j <= n; j++) s += choose(j) * x ** j * (1 - x) ** (n - j);
    return s;
  };
}

function meanVar(xs: ArrayLike<number>): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i] as number;
    s2 += (xs[i] as number) ** 2;
  }
  const m = s / xs.length;
  return [m, s2 / xs.length - m * m];
}

describe('meta.tasks.sine', () => {
  it('follows Finn et al.: A in [0.1, 5], phase in [0, pi], x in [-5, 5], y = A sin(x - phase)', () => {
    const d = sine();
    const b = d.sample(key(1), 2000, 10, 5);
    expect(b.supportX.length).toBe(20000);
    expect(b.queryY.length).toBe(10000);
    let maxPhase = 0;
    for (let t = 0; t < b.count; t++) {
      const a = b.taskParams[2 * t] as number;
      const ph = b.taskParams[2 * t + 1] as number;
      expect(a).toBeGreaterThanOrEqual(0.1);
      expect(a).toBeLessThanOrEqual(5);
      expect(ph).toBeGreaterThanOrEqual(0);
      expect(ph).toBeLessThanOrEqual(Math.PI);
      maxPhase = Math.max(maxPhase, ph);
      for (let r = 0; r < 10; r++) {
        const x = b.supportX[t * 10 + r] as number;
        expect(Math.abs(x)).toBeLessThanOrEqual(5);
        expect(b.supportY[t * 10 + r]).toBeCloseTo(a * Math.sin(x - ph), 4);
      }
    }
    expect(maxPhase).toBeGreaterThan(3); // phase range is [0, pi], not [0, 1]
  });

  it('draws amplitude ~ U[0.1, 5], phase ~ U[0, π] and x ~ U[−5, 5] (KS tests that reject near misses)', () => {
    const n = 20000;
    const b = sine().sample(key(17), n, 1, 1);
    const amp = Array.from({ length: n }, (_, t) => b.taskParams[2 * t] as number);
    const phase = Array.from({ length: n }, (_, t) => b.taskParams[2 * t + 1] as number);
    for (const [xs, cdf] of [
      [amp, uniformCdf(0.1, 5)],
      [phase, uniformCdf(0, Math.PI)],
      [b.supportX, uniformCdf(-5, 5)],
      [b.queryX, uniformCdf(-5, 5)],
    ] as const) {
      const r = ks(xs, cdf);
      expect(r.d).toBeLessThan(r.critical);
    }
    // The same test rejects an amplitude range off by 10% at one end, and the Reptile phase range.
    const near = sine({ amplitude: [0.1, 4.5] }).sample(key(17), n, 1, 1);
    const nearAmp = Array.from({ length: n }, (_, t) => near.taskParams[2 * t] as number);
    const r1 = ks(nearAmp, uniformCdf(0.1, 5));
    expect(r1.d).toBeGreaterThan(3 * r1.critical);
    const wide = sine({ variant: 'reptile' }).sample(key(17), n, 1, 1);
    const widePhase = Array.from({ length: n }, (_, t) => wide.taskParams[2 * t + 1] as number);
    const r2 = ks(widePhase, uniformCdf(0, Math.PI));
    expect(r2.d).toBeGreaterThan(3 * r2.critical);
  });

  it("offers Reptile's phase range [0, 2pi]", () => {
    const b = sine({ variant: 'reptile' }).sample(key(2), 1000, 1, 1);
    const phases = Array.from({ length: 1000 }, (_, t) => b.taskParams[2 * t + 1] as number);
    expect(Math.max(...phases)).toBeGreaterThan(5.5);
    expect(Math.max(...phases)).toBeLessThanOrEqual(2 * Math.PI);
  });

  it('is deterministic in the key and differs across keys', () => {
    const d = sine();
    expect(d.sample(key(3), 4, 10, 10).supportY).toEqual(d.sample(key(3), 4, 10, 10).supportY);
    expect(d.sample(key(3), 4, 10, 10).supportY).not.toEqual(d.sample(key(4), 4, 10, 10).supportY);
  });

  it('gives the ground truth of a task', () => {
    const d = sine();
    const b = d.sample(key(5), 1, 3, 0);
    const y = d.truth?.(b.taskParams, b.supportX) as Float32Array;
    for (let i = 0; i < 3; i++) expect(y[i]).toBeCloseTo(b.supportY[i] as number, 5);
  });

  it('rejects bad arguments', () => {
    expect(() => sine().sample(key(0), 0, 10, 10)).toThrow(RangeError);
    expect(() => sine().sample(key(0), 1, 0, 10)).toThrow(/shots/);
    expect(() => sine({ variant: 'x' as 'maml' })).toThrow(/variant/);
    expect(() => sine({ amplitude: [5, 1] })).toThrow(/amplitude/);
    expect(() => sine({ amp: 1 } as object)).toThrow(/unknown option 'amp'/);
  });
});

describe('meta.tasks.linear', () => {
  it('makes targets y = w.x + b', () => {
    const d = linear({ dim: 3, biasScale: 1 });
    const b = d.sample(key(7), 5, 4, 2);
    for (let t = 0; t < 5; t++) {
      const p = b.taskParams.subarray(t * 4, t * 4 + 4);
      const yq = d.truth?.(p, b.queryX.subarray(t * 6, t * 6 + 6)) as Float32Array;
      expect(yq[0]).toBeCloseTo(b.queryY[t * 2] as number, 4);
      expect(yq[1]).toBeCloseTo(b.queryY[t * 2 + 1] as number, 4);
    }
  });
});

describe('meta.tasks.classification', () => {
  // 8 classes of 6 examples; the feature of example i is [i, class].
  const n = 48;
  const labels = Int32Array.from({ length: n }, (_, i) => 10 + (i % 8));
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = labels[i] as number;
  }

  it('samples N-way K-shot tasks with disjoint support/query and remapped labels', () => {
    const d = classification({ x, labels, inputDim: 2, ways: 5 });
    const b = d.sample(key(11), 50, 2, 3);
    expect(b.supportRows).toBe(10);
    expect(b.queryRows).toBe(15);
    let permutationsSeen = new Set<string>();
    for (let t = 0; t < b.count; t++) {
      const used = new Set<number>();
      const labelToClass = new Map<number, number>();
      const check = (X: Float32Array, Y: Int32Array, row: number) => {
        const id = X[2 * row] as number;
        const cls = X[2 * row + 1] as number;
        const l = Y[row] as number;
        expect(l).toBeGreaterThanOrEqual(0);
        expect(l).toBeLessThan(5);
        expect(used.has(id)).toBe(false); // no example twice, so support and query are disjoint
        used.add(id);
        if (!labelToClass.has(l)) labelToClass.set(l, cls);
        expect(labelToClass.get(l)).toBe(cls); // one original class per new label
      };
      for (let r = 0; r < 10; r++) check(b.supportX, b.supportY as Int32Array, t * 10 + r);
      for (let r = 0; r < 15; r++) check(b.queryX, b.queryY as Int32Array, t * 15 + r);
      expect(new Set(labelToClass.values()).size).toBe(5);
      for (let l = 0; l < 5; l++) expect(b.taskParams[t * 5 + l]).toBe(labelToClass.get(l));
      permutationsSeen.add(
        [...labelToClass.entries()]
          .sort((p, q) => p[0] - q[0])
          .map((e) => e[1])
          .join(','),
      );
    }
    expect(permutationsSeen.size).toBeGreaterThan(40); // labels are remapped in random order
    permutationsSeen = new Set();
  });

  it('restricts tasks to a class split', () => {
    const d = classification({ x, labels, inputDim: 2, ways: 2, classes: [10, 11, 12] });
    const b = d.sample(key(12), 30, 1, 1);
    for (const c of b.taskParams) expect([10, 11, 12]).toContain(c);
  });

  it('gives clear errors for impossible configurations', () => {
    const d = classification({ x, labels, inputDim: 2, ways: 5 });
    expect(() => d.sample(key(0), 1, 6, 1)).toThrow(/shots \+ queries = 7 per class, but class 10 has only 6/);
    expect(() => classification({ x, labels, inputDim: 2, ways: 9 })).toThrow(/only 8 classes/);
    expect(() => classification({ x: x.subarray(1), labels, inputDim: 2, ways: 2 })).toThrow(RangeError);
    expect(() =>
      classification({ x, labels: Array.from(labels) as unknown as Int32Array, inputDim: 2, ways: 2 }),
    ).toThrow(TypeError);
  });
});

describe('meta.tasks.gaussianClusters', () => {
  it('puts examples around their class centre', () => {
    const d = gaussianClusters({ dim: 2, ways: 3, spread: 10, noise: 0.01 });
    const b = d.sample(key(13), 4, 2, 2);
    for (let t = 0; t < 4; t++)
      for (let r = 0; r < 6; r++) {
        const l = b.supportY[t * 6 + r] as number;
        for (let j = 0; j < 2; j++)
          expect(b.supportX[(t * 6 + r) * 2 + j]).toBeCloseTo(b.taskParams[(t * 3 + l) * 2 + j] as number, 1);
      }
  });
});

describe('meta.tasks.mlti', () => {
  it('mixes pairs of base tasks as lam*a + (1-lam)*b with lam ~ Beta(alpha, alpha)', () => {
    const base = linear({ dim: 2 });
    const k = key(21);
    const b = mlti(base, { alpha: 2 }).sample(k, 40, 5, 5);
    const ta = base.sample(fold(k, 0), 40, 5, 5);
    const tb = base.sample(fold(k, 1), 40, 5, 5);
    for (let t = 0; t < 40; t++) {
      const lam = b.taskParams[t] as number;
      expect(lam).toBeGreaterThanOrEqual(0);
      expect(lam).toBeLessThanOrEqual(1);
      for (let i = t * 10; i < t * 10 + 10; i++)
        expect(b.supportX[i]).toBeCloseTo(lam * (ta.supportX[i] as number) + (1 - lam) * (tb.supportX[i] as number), 5);
      for (let i = t * 5; i < t * 5 + 5; i++)
        expect(b.queryY[i]).toBeCloseTo(lam * (ta.queryY[i] as number) + (1 - lam) * (tb.queryY[i] as number), 4);
    }
    const [m] = meanVar(b.taskParams);
    expect(m).toBeGreaterThan(0.35);
    expect(m).toBeLessThan(0.65);
  });

  it('keeps classification labels (rows grouped by label in both tasks)', () => {
    const base = gaussianClusters({ ways: 3 });
    const b = mlti(base).sample(key(22), 3, 2, 1);
    expect(Array.from(b.supportY.subarray(0, 6))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(b.queryY.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(b.kind).toBe('classification');
  });

  it('with prob 0 returns the first base task unchanged', () => {
    const base = sine();
    const b = mlti(base, { prob: 0 }).sample(key(23), 4, 3, 3);
    expect(b.supportY).toEqual(base.sample(fold(key(23), 0), 4, 3, 3).supportY);
    expect(() => mlti(base, { prob: 2 })).toThrow(/prob/);
  });
});

describe('beta sampler', () => {
  it('draws Beta(a, b): KS against the exact CDF, tight enough to reject Beta(2, 6) and Beta(3, 5)', () => {
    const n = 3000;
    const xs = Array.from({ length: n }, (_, i) => beta(key(i), 2, 5));
    const r = ks(xs, betaCdfInt(2, 5));
    expect(r.d).toBeLessThan(r.critical);
    // Mean and variance within four standard errors: sd(mean) = σ/√n, sd(s²) = σ²·√((κ + 2)/n) with
    // κ = 6[(a − b)²(a + b + 1) − ab(a + b + 2)] / [ab(a + b + 2)(a + b + 3)] = −0.12, Beta's excess kurtosis.
    const [m, v] = meanVar(xs);
    const variance = 10 / (49 * 8);
    const kurtosis = (6 * (9 * 8 - 10 * 9)) / (10 * 9 * 10);
    expect(Math.abs(m - 2 / 7)).toBeLessThan(4 * Math.sqrt(variance / n));
    expect(Math.abs(v - variance)).toBeLessThan(4 * variance * Math.sqrt((kurtosis + 2) / n));
    // The same test rejects a sampler of the neighbouring distributions.
    for (const [a, b] of [
      [2, 6],
      [3, 5],
    ]) {
      const wrong = Array.from({ length: n }, (_, i) => beta(key(i), a as number, b as number));
      const w = ks(wrong, betaCdfInt(2, 5));
      expect(w.d).toBeGreaterThan(2 * w.critical);
    }
    // Shape < 1 (the boost branch of the gamma sampler): Beta(½, ½) is the arcsine law, F(x) = (2/π) asin √x.
    const ys = Array.from({ length: n }, (_, i) => beta(key(i + 9000), 0.5, 0.5));
    const ra = ks(ys, (x) => (2 / Math.PI) * Math.asin(Math.sqrt(x)));
    expect(ra.d).toBeLessThan(ra.critical);
    const wrongHalf = Array.from({ length: n }, (_, i) => beta(key(i + 9000), 0.7, 0.7));
    const rw = ks(wrongHalf, (x) => (2 / Math.PI) * Math.asin(Math.sqrt(x)));
    expect(rw.d).toBeGreaterThan(rw.critical);
  });
});
