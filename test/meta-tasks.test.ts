import { describe, expect, it } from 'vitest';
import { classification, gaussianClusters, linear, mlti, sine } from '../src/meta/tasks/index.js';
import { beta } from '../src/meta/tasks/sampling.js';
import { fold, key } from '../src/random/index.js';

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
    const [ma] = meanVar(Array.from({ length: b.count }, (_, t) => b.taskParams[2 * t] as number));
    expect(ma).toBeCloseTo(2.55, 0);
    const [mx, vx] = meanVar(b.queryX);
    expect(Math.abs(mx)).toBeLessThan(0.15);
    expect(vx).toBeCloseTo(100 / 12, 0);
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
  it('has the mean and variance of Beta(a, b)', () => {
    const xs = Array.from({ length: 3000 }, (_, i) => beta(key(i), 2, 5));
    const [m, v] = meanVar(xs);
    expect(m).toBeCloseTo(2 / 7, 1);
    expect(v).toBeCloseTo((2 * 5) / (49 * 8), 2);
    const ys = Array.from({ length: 3000 }, (_, i) => beta(key(i + 9000), 0.5, 0.5));
    expect(meanVar(ys)[0]).toBeCloseTo(0.5, 1);
  });
});
