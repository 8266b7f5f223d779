// ZO-RankSGD (Tang et al. 2023) against the estimator written out edge by edge from the paper's
// definition (reference §6.5): g = (1/|E|) Σ_{(i ≻ j)∈E} (ξ_j − ξ_i), E from a top-k ranking.
import { describe, expect, it } from 'vitest';
import { zoRankCoefficients } from '../src/evo/strategies/zo_rank.js';
import { evo, random } from '../src/index.js';

/** The paper's estimator by enumerating the comparison edges (float64). */
function edgeEstimator(eps: Float32Array, dim: number, ranking: number[], m: number): Float64Array {
  const g = new Float64Array(dim);
  const ranked = new Set(ranking);
  let edges = 0;
  const add = (i: number, j: number) => {
    for (let d = 0; d < dim; d++) g[d] = (g[d] as number) + (eps[j * dim + d] as number) - (eps[i * dim + d] as number);
    edges++;
  };
  ranking.forEach((i, r) => {
    for (const j of ranking.slice(r + 1)) add(i, j);
    for (let j = 0; j < m; j++) if (!ranked.has(j)) add(i, j);
  });
  return g.map((v) => v / edges);
}

describe('evo.zoRank', () => {
  it('one step equals the edge-by-edge estimator (top-k of m, unranked members non-finite)', () => {
    const m = 6;
    const dim = 4;
    const lr = 0.5;
    const s = evo.zoRank({ popSize: m, topK: 3, mu: 0.1, lr, nonFinite: 'worst' });
    const state = s.init(random.key(1), new Float32Array([1, -2, 0.5, 3]));
    const pop = s.ask(state, random.key(2));
    // An oracle's ranking: member 4 best, then 1, then 5; the rest unranked.
    const fitness = [Infinity, 1, Infinity, Infinity, 0, 2];
    const before = Float32Array.from(state.mean);
    const next = s.tell(state, pop, fitness);
    const g = edgeEstimator(pop.eps, dim, [4, 1, 5], m);
    for (let d = 0; d < dim; d++)
      expect(next.mean[d]).toBeCloseTo(Math.fround((before[d] as number) - lr * (g[d] as number)), 6);
    // The notebook's m − 2r weighting (one extra ξ_i per ranked point) gives a different step.
    const { coef, edges } = zoRankCoefficients(Float64Array.from(fitness), 3);
    expect(edges).toBe(3 + 3 * 3);
    const off = [4, 1, 5].map((i) => ({ i, c: (coef[i] as number) - 1 }));
    let diff = 0;
    for (let d = 0; d < dim; d++) {
      let gOff = g[d] as number;
      for (const { i } of off) gOff -= (pop.eps[i * dim + d] as number) / edges;
      diff = Math.max(diff, Math.abs(gOff - (g[d] as number)));
    }
    expect(diff).toBeGreaterThan(1e-3);
    expect(Array.from(coef).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('the estimator points along the gradient of ‖x‖² (cosine > 0.9 over 1000 draws, d = 100, m = 10, k = 5)', () => {
    const dim = 100;
    const x = new Float32Array(dim).fill(1);
    const s = evo.zoRank({ popSize: 10, topK: 5, mu: 0.01, lr: 1 });
    const state = s.init(random.key(0), x);
    const mean = new Float64Array(dim);
    for (let t = 0; t < 1000; t++) {
      const pop = s.ask(state, random.key(t + 1));
      const f = Array.from({ length: 10 }, (_, i) =>
        pop.x.subarray(i * dim, (i + 1) * dim).reduce((a, v) => a + v * v, 0),
      );
      const ranks = f.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
      const fit = new Array(10).fill(Infinity);
      ranks.slice(0, 5).forEach((r, place) => {
        fit[r.i] = place;
      });
      const { coef, edges } = zoRankCoefficients(Float64Array.from(fit), 5);
      for (let i = 0; i < 10; i++)
        for (let d = 0; d < dim; d++)
          mean[d] = (mean[d] as number) + ((coef[i] as number) * (pop.eps[i * dim + d] as number)) / edges;
    }
    // ∇‖x‖² = 2x ∝ (1, …, 1).
    let dot = 0;
    let norm = 0;
    for (const v of mean) {
      dot += v;
      norm += v * v;
    }
    expect(dot / Math.sqrt(norm * dim)).toBeGreaterThan(0.9);
  });

  it('descends the sphere from rankings only and is deterministic', async () => {
    const run = () =>
      evo.optimize((x) => x.reduce((a, v) => a + v * v, 0), {
        strategy: evo.zoRank({ popSize: 10, topK: 5, lr: 0.05 }),
        x0: new Float32Array(10).fill(1),
        generations: 300,
        seed: 4,
      });
    const a = await run();
    const b = await run();
    expect(a.bestFitness).toBeLessThan(0.5);
    expect(a.history).toEqual(b.history);
  });

  it('checks its options', () => {
    expect(() => evo.zoRank({ topK: 0 })).toThrow(RangeError);
    expect(() => evo.zoRank({ popSize: 4, topK: 5 })).toThrow(/topK/);
    expect(() => evo.zoRank({ mu: 0 })).toThrow(/mu/);
    expect(() => evo.zoRank({ bogus: 1 } as never)).toThrow(TypeError);
  });
});
