// meta.tasks.linearLandscape (Collins et al. 2020's easy/hard linear-regression mixture) and
// meta.tasks.diverse (diverse mini-batches by greedy k-DPP MAP, Chen et al. 2018). References
// written here: the landscape's moments (hard fraction, input variance = curvature, solution
// centers) and a brute-force greedy MAP that maximizes det(L_S) by explicit determinants.
import { describe, expect, it } from 'vitest';
import { meta } from '../src/index.js';
import { greedyDppMap } from '../src/meta/tasks/diverse.js';
import { key } from '../src/random/index.js';

describe('meta.tasks.linearLandscape', () => {
  const dim = 4;
  const fam = meta.tasks.linearLandscape({ dim, hardFraction: 0.3, hardCurvature: 0.05, hardCenter: 3 });
  const b = fam.sample(key(1), 2000, 20, 5);
  const per = dim + 2;
  it('mixes hard and easy tasks in the asked proportion, with their curvatures and centers', () => {
    let hard = 0;
    const varX = [0, 0];
    const n = [0, 0];
    const c0 = [0, 0];
    for (let t = 0; t < b.count; t++) {
      const g = b.taskParams[t * per + dim] as number;
      hard += g;
      c0[g]! += b.taskParams[t * per] as number;
      for (let r = 0; r < 20; r++)
        for (let j = 0; j < dim; j++) {
          varX[g]! += (b.supportX[(t * 20 + r) * dim + j] as number) ** 2;
          n[g]!++;
        }
    }
    expect(hard / b.count).toBeGreaterThan(0.27);
    expect(hard / b.count).toBeLessThan(0.33);
    expect(varX[1]! / n[1]!).toBeCloseTo(0.05, 2);
    expect(varX[0]! / n[0]!).toBeCloseTo(1, 1);
    expect(c0[1]! / hard).toBeCloseTo(3, 1);
    expect(Math.abs(c0[0]! / (b.count - hard))).toBeLessThan(0.1);
  });
  it('targets are the linear truth; the same key gives the same tasks; bad options name themselves', () => {
    const y = fam.truth?.(b.taskParams.subarray(0, per), b.supportX.subarray(0, 20 * dim)) as Float32Array;
    for (let r = 0; r < 20; r++) expect(y[r]).toBeCloseTo(b.supportY[r] as number, 5);
    expect(Array.from(fam.sample(key(1), 3, 2, 2).supportY)).toEqual(Array.from(fam.sample(key(1), 3, 2, 2).supportY));
    expect(() => meta.tasks.linearLandscape({ hardCurvature: 0 })).toThrow(/hardCurvature/);
    expect(() => meta.tasks.linearLandscape({ hardFraction: 1.5 })).toThrow(/hardFraction/);
    expect(() => meta.tasks.linearLandscape({ dims: 3 } as never)).toThrow(/dims/);
  });
  it('hard tasks converge slower under the same GD steps (hardness is the GD rate)', () => {
    // 20 GD steps at lr 0.5 from w = 0 on each task's support MSE: the loss ratio after/before.
    const ratio = [0, 0];
    const cnt = [0, 0];
    for (let t = 0; t < 200; t++) {
      const g = b.taskParams[t * per + dim] as number;
      const X = b.supportX.subarray(t * 20 * dim, (t + 1) * 20 * dim);
      const Y = b.supportY.subarray(t * 20, (t + 1) * 20);
      const w = new Float64Array(dim);
      const loss = () => {
        let s = 0;
        for (let r = 0; r < 20; r++) {
          let p = -(Y[r] as number);
          for (let j = 0; j < dim; j++) p += (X[r * dim + j] as number) * (w[j] as number);
          s += p * p;
        }
        return s / 20;
      };
      const l0 = loss();
      for (let k = 0; k < 20; k++) {
        const gr = new Float64Array(dim);
        for (let r = 0; r < 20; r++) {
          let p = -(Y[r] as number);
          for (let j = 0; j < dim; j++) p += (X[r * dim + j] as number) * (w[j] as number);
          for (let j = 0; j < dim; j++) gr[j]! += (2 * p * (X[r * dim + j] as number)) / 20;
        }
        for (let j = 0; j < dim; j++) w[j]! -= 0.3 * gr[j]!;
      }
      ratio[g]! += loss() / l0;
      cnt[g]!++;
    }
    expect(ratio[1]! / cnt[1]!).toBeGreaterThan(0.2);
    expect(ratio[0]! / cnt[0]!).toBeLessThan(0.01);
  });
});

/** Brute force: each step adds the candidate maximizing det(L_S) (Gaussian elimination, float64). */
function bruteGreedy(e: Float64Array, width: number, n: number, k: number, sigma: number): number[] {
  const L = (i: number, j: number) => {
    let s = 0;
    for (let a = 0; a < width; a++) s += ((e[i * width + a] as number) - (e[j * width + a] as number)) ** 2;
    return Math.exp(-s / (2 * sigma * sigma));
  };
  const det = (S: number[]) => {
    const A = S.map((i) => S.map((j) => L(i, j)));
    let dt = 1;
    for (let c = 0; c < S.length; c++) {
      dt *= A[c]![c]!;
      for (let r = c + 1; r < S.length; r++) {
        const f = A[r]![c]! / A[c]![c]!;
        for (let q = c; q < S.length; q++) A[r]![q]! -= f * A[c]![q]!;
      }
    }
    return dt;
  };
  const S: number[] = [];
  for (let s = 0; s < k; s++) {
    let best = -1;
    let bestDet = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (S.includes(i)) continue;
      const dd = det([...S, i]);
      if (dd > bestDet) {
        bestDet = dd;
        best = i;
      }
    }
    S.push(best);
  }
  return S;
}

describe('meta.tasks.diverse', () => {
  it('greedy MAP by incremental Cholesky equals the brute-force determinant greedy', () => {
    const n = 12;
    const width = 3;
    const e = Float64Array.from({ length: n * width }, (_, i) => Math.sin(2.3 * i + 0.7) * (1 + (i % 3)));
    for (const sigma of [0.7, 2]) {
      expect(Array.from(greedyDppMap(e, width, n, 5, sigma))).toEqual(bruteGreedy(e, width, n, 5, sigma));
    }
    // A plausible wrong variant — picking by distance to the last chosen only — differs here.
    const last: number[] = [0];
    while (last.length < 5) {
      let best = -1;
      let bd = -1;
      for (let i = 0; i < n; i++) {
        if (last.includes(i)) continue;
        let s = 0;
        for (let a = 0; a < width; a++) s += (e[i * width + a]! - e[last[last.length - 1]! * width + a]!) ** 2;
        if (s > bd) {
          bd = s;
          best = i;
        }
      }
      last.push(best);
    }
    expect(last).not.toEqual(bruteGreedy(e, width, n, 5, 0.7));
  });

  it('chosen batches are more spread than plain ones; pool 1 is the base; deterministic', () => {
    const sine = meta.tasks.sine();
    const div = meta.tasks.diverse(sine, { pool: 8 });
    const spread = (b: meta.TaskBatch) => {
      let s = 0;
      let m = 0;
      for (let i = 0; i < b.count; i++)
        for (let j = i + 1; j < b.count; j++) {
          s += Math.hypot(
            (b.taskParams[2 * i] as number) - (b.taskParams[2 * j] as number),
            (b.taskParams[2 * i + 1] as number) - (b.taskParams[2 * j + 1] as number),
          );
          m++;
        }
      return s / m;
    };
    let plain = 0;
    let diverse = 0;
    for (let r = 0; r < 10; r++) {
      plain += spread(sine.sample(key(100 + r), 10, 5, 5));
      diverse += spread(div.sample(key(100 + r), 10, 5, 5));
    }
    expect(diverse).toBeGreaterThan(1.2 * plain);
    const a = div.sample(key(3), 6, 5, 4);
    expect(a.count).toBe(6);
    expect(a.supportX.length).toBe(6 * 5);
    expect(a.queryY.length).toBe(6 * 4);
    expect(Array.from(a.supportY)).toEqual(Array.from(div.sample(key(3), 6, 5, 4).supportY));
    // Rows stay with their task: the targets are the task's truth at its inputs.
    const y = sine.truth?.(a.taskParams.subarray(2, 4), a.supportX.subarray(5, 10)) as Float32Array;
    for (let r = 0; r < 5; r++) expect(y[r]).toBeCloseTo(a.supportY[5 + r] as number, 5);
    const one = meta.tasks.diverse(sine, { pool: 1 });
    expect(Array.from(one.sample(key(4), 3, 2, 2).supportY)).toEqual(Array.from(sine.sample(key(4), 3, 2, 2).supportY));
    expect(() => meta.tasks.diverse(sine, { pool: 0 })).toThrow(/pool/);
    expect(() => meta.tasks.diverse(sine, { bandwidth: 0 })).toThrow(/bandwidth/);
  });
});
