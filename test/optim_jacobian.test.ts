// Jacobian descent's aggregators (optim.jacobian) against references written from the paper
// ("Jacobian Descent for Multi-Objective Optimization", Proposition 1 and Definition of UPGrad;
// TorchJD 46962c2 for the defaults) and from the definition of MGDA (min-norm point of the hull):
// brute-force enumeration of every face of the small QPs, plus hand-computed cases.
import { describe, expect, it } from 'vitest';
import { optim } from '../src/index.js';

const { upgrad, mean, mgda, upgradWeights, mgdaWeights } = optim.jacobian;

/** A deterministic m × n Jacobian with entries in [−1, 1] (LCG). */
function randomJ(m: number, n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: m * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

function gram(J: Float32Array, m: number): number[][] {
  const n = J.length / m;
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      let s = 0;
      for (let c = 0; c < n; c++) s += J[i * n + c]! * J[j * n + c]!;
      return s;
    }),
  );
}

/** Gaussian elimination with partial pivoting (dense reference solver). */
function solve(a: number[][], b: number[]): number[] | null {
  const k = b.length;
  const M = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-14) return null;
    [M[c]!, M[p]!] = [M[p]!, M[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let q = c; q <= k; q++) M[r]![q] = M[r]![q]! - f * M[c]![q]!;
    }
  }
  return M.map((r, i) => r[k]! / M[i]![i]!);
}

/** Proposition 1: min vᵀGv s.t. v ≥ u, by enumerating which constraints are active (all 2^m faces). */
function dualConeWeightsRef(G: number[][], u: number[]): number[] {
  const m = u.length;
  let best: number[] | null = null;
  let bestVal = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 1 << m; mask++) {
    // Free set F (bit set): v_F solves G_FF v_F = −G_{F,A} u_A with v_A = u_A.
    const F = [...Array(m).keys()].filter((i) => mask & (1 << i));
    const A = [...Array(m).keys()].filter((i) => !(mask & (1 << i)));
    const vF = solve(
      F.map((i) => F.map((j) => G[i]![j]!)),
      F.map((i) => -A.reduce((s, j) => s + G[i]![j]! * u[j]!, 0)),
    );
    if (vF === null) continue;
    const v = [...u];
    F.forEach((i, k) => {
      v[i] = vF[k]!;
    });
    if (v.some((x, i) => x < u[i]! - 1e-12)) continue;
    const val = v.reduce((s, vi, i) => s + vi * v.reduce((t, vj, j) => t + G[i]![j]! * vj, 0), 0);
    if (val < bestVal) {
      bestVal = val;
      best = v;
    }
  }
  if (best === null) throw new Error('no feasible face');
  return best;
}

/** UPGrad weights from the paper, TorchJD's normalization and ridge included. */
function upgradRef(J: Float32Array, m: number, regEps = 1e-4): number[] {
  const G = gram(J, m);
  const tr = G.reduce((s, r, i) => s + r[i]!, 0);
  const Gn = G.map((r, i) => r.map((x, j) => x / tr + (i === j ? regEps : 0)));
  const w = new Array(m).fill(0);
  for (let i = 0; i < m; i++) {
    const u = new Array(m).fill(0);
    u[i] = 1 / m;
    dualConeWeightsRef(Gn, u).forEach((x, j) => {
      w[j] = w[j]! + x;
    });
  }
  return w;
}

/** The min-norm point of the simplex under G, by enumerating faces: [G_FF 1; 1ᵀ 0][α; −μ] = [0; 1]. */
function mgdaRef(J: Float32Array, m: number): number[] {
  const G = gram(J, m);
  let best: number[] | null = null;
  let bestVal = Number.POSITIVE_INFINITY;
  for (let mask = 1; mask < 1 << m; mask++) {
    const F = [...Array(m).keys()].filter((i) => mask & (1 << i));
    const k = F.length;
    const a = F.map((i) => [...F.map((j) => G[i]![j]!), 1]);
    a.push([...new Array(k).fill(1), 0]);
    const x = solve(a, [...new Array(k).fill(0), 1]);
    if (x === null || x.slice(0, k).some((v) => v < -1e-12)) continue;
    const alpha = new Array(m).fill(0);
    F.forEach((i, q) => {
      alpha[i] = x[q];
    });
    const val = alpha.reduce((s, ai, i) => s + ai * alpha.reduce((t, aj, j) => t + G[i]![j]! * aj, 0), 0);
    if (val < bestVal - 1e-15) {
      bestVal = val;
      best = alpha;
    }
  }
  if (best === null) throw new Error('no feasible face');
  return best;
}

function dots(J: Float32Array, m: number, d: Float32Array): number[] {
  const n = J.length / m;
  return Array.from({ length: m }, (_, i) => {
    let s = 0;
    for (let c = 0; c < n; c++) s += J[i * n + c]! * d[c]!;
    return s;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('optim.jacobian.upgrad', () => {
  it('hand-computed conflicting pair: the mean of each row projected onto the other’s half-space', () => {
    // g1 = (1, 0), g2 = (−1, 1): g1 → (½, ½), g2 → (0, 1); their mean is (¼, ¾).
    const J = Float32Array.of(1, 0, -1, 1);
    const d = upgrad(J, 2, { regEps: 0 });
    expect(maxAbsDiff(d, [0.25, 0.75])).toBeLessThan(1e-7);
    // The mean of the rows, (0, ½), is a plausible wrong answer and is caught.
    expect(maxAbsDiff(mean(J, 2), [0.25, 0.75])).toBeGreaterThan(0.2);
  });

  it('weights match the brute-force dual-cone reference to 1e-8 on random 5 × 20 Jacobians', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const J = randomJ(5, 20, seed);
      const w = upgradWeights(J, 5);
      expect(maxAbsDiff(w, upgradRef(J, 5))).toBeLessThan(1e-8);
      const w0 = upgradWeights(J, 5, { regEps: 0 });
      expect(maxAbsDiff(w0, upgradRef(J, 5, 0))).toBeLessThan(1e-8);
    }
  });

  it('never conflicts with a row (row · d ≥ −regEps·tr(G)·w_i; ≥ −1e-6·|row||d| with regEps 0)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const m = 2 + (seed % 6);
      const J = randomJ(m, 8, 100 + seed);
      const d = upgrad(J, m, { regEps: 0 });
      const nd = Math.hypot(...d);
      for (const x of dots(J, m, d)) expect(x).toBeGreaterThanOrEqual(-1e-6 * nd * Math.sqrt(8));
      // The default ridge: TorchJD's tolerance (their tests use atol 4e-4).
      const G = gram(J, m);
      const tr = G.reduce((s, r, i) => s + r[i]!, 0);
      const w = upgradWeights(J, m);
      dots(J, m, upgrad(J, m)).forEach((x, i) => {
        expect(x).toBeGreaterThanOrEqual(-1e-4 * tr * w[i]! - 1e-6);
      });
    }
  });

  it('equals the mean when no two rows conflict, and a plausible wrong variant (DualProj) does not', () => {
    const J = Float32Array.of(1, 0, 0.2, 0.3, 1, 0, 0, 0.5, 2); // pairwise dot products ≥ 0
    expect(maxAbsDiff(upgrad(J, 3), mean(J, 3))).toBeLessThan(1e-7);
    // DualProj (project the mean only) coincides on this case but not on conflicting rows: the
    // reference's per-row projection is what is implemented.
    const K = randomJ(4, 6, 7);
    const ref = upgradRef(K, 4);
    const meanW = [0.25, 0.25, 0.25, 0.25];
    const Gn = gram(K, 4);
    const tr = Gn.reduce((s, r, i) => s + r[i]!, 0);
    const dualProj = dualConeWeightsRef(
      Gn.map((r, i) => r.map((x, j) => x / tr + (i === j ? 1e-4 : 0))),
      meanW,
    );
    expect(maxAbsDiff(upgradWeights(K, 4), ref)).toBeLessThan(1e-8);
    expect(maxAbsDiff(dualProj, ref)).toBeGreaterThan(1e-3);
  });

  it('is zero when the rows cancel (0 in the convex hull), and mean weights for a zero Jacobian', () => {
    const d = upgrad(Float32Array.of(1, 2, -1, -2), 2, { regEps: 0 });
    expect(Math.hypot(...d)).toBeLessThan(1e-6);
    expect([...upgradWeights(new Float32Array(6), 2)]).toEqual([0.5, 0.5]);
    expect([...upgrad(new Float32Array(6), 2)]).toEqual([0, 0, 0]);
  });

  it('is permutation invariant and follows pref', () => {
    const J = randomJ(3, 5, 3);
    const P = Float32Array.from([...J.subarray(10, 15), ...J.subarray(0, 5), ...J.subarray(5, 10)]);
    expect(maxAbsDiff(upgrad(J, 3), upgrad(P, 3))).toBeLessThan(1e-6);
    // pref = e_1: only row 1 projected.
    const w = upgradWeights(J, 3, { pref: [1, 0, 0] });
    const G = gram(J, 3);
    const tr = G.reduce((s, r, i) => s + r[i]!, 0);
    const ref = dualConeWeightsRef(
      G.map((r, i) => r.map((x, j) => x / tr + (i === j ? 1e-4 : 0))),
      [1, 0, 0],
    );
    expect(maxAbsDiff(w, ref)).toBeLessThan(1e-8);
  });
});

describe('optim.jacobian.mgda', () => {
  it('rows e1, e2 give weights (½, ½); a dominated longer row gets weight 0', () => {
    expect(maxAbsDiff(mgdaWeights(Float32Array.of(1, 0, 0, 1), 2), [0.5, 0.5])).toBeLessThan(1e-9);
    expect(maxAbsDiff(mgda(Float32Array.of(1, 0, 2, 1), 2), [1, 0])).toBeLessThan(1e-7);
  });

  it('min-norm point matches brute force over the simplex faces for m = 2, 3 (and 5)', () => {
    for (const m of [2, 3, 5]) {
      for (let seed = 1; seed <= 10; seed++) {
        const J = randomJ(m, 4, 1000 * m + seed);
        const ref = mgdaRef(J, m);
        const d = mgda(J, m);
        const n = J.length / m;
        const dRef = Array.from({ length: n }, (_, c) => ref.reduce((s, a, i) => s + a * J[i * n + c]!, 0));
        expect(maxAbsDiff(d, dRef)).toBeLessThan(1e-6);
      }
    }
  });

  it('is zero when 0 is in the hull, and differs from UPGrad on unequal gradients', () => {
    expect(Math.hypot(...mgda(Float32Array.of(1, 0, -1, 0.5, 0, -1), 3))).toBeLessThan(1e-5);
    const J = Float32Array.of(1, 0, 0, 10);
    expect(maxAbsDiff(mgda(J, 2), upgrad(J, 2))).toBeGreaterThan(0.5);
  });
});

describe('optim.jacobian errors', () => {
  it('name the argument', () => {
    const bad = [
      () => upgrad([1, 2] as unknown as Float32Array, 1),
      () => mean(new Float32Array(4), 0),
      () => mgda(new Float32Array(5), 2),
      () => upgrad(Float32Array.of(1, Number.NaN), 1),
      () => upgrad(new Float32Array(4), 2, { regEps: -1 }),
      () => upgrad(new Float32Array(4), 2, { pref: [1] }),
    ];
    const msgs = [
      /J: expected a Float32Array/,
      /m: expected a positive integer/,
      /J: length 5/,
      /J: entry 1/,
      /regEps/,
      /pref/,
    ];
    bad.forEach((f, i) => {
      expect(f).toThrow(msgs[i]);
    });
    expect(() => mean(new Float32Array(4), 1.5)).toThrow(RangeError);
    expect(() => mgda('x' as unknown as Float32Array, 1)).toThrow(TypeError);
  });
});
