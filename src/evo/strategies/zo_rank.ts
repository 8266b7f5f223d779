// ZO-RankSGD (Tang, Sun et al. 2023, "Zeroth-Order Optimization Meets Human Feedback"): descent
// from a ranking oracle only. Query x + μξ_i (ξ_i ~ N(0, I), i = 1…m); the oracle orders its top k.
// The ranking implies the comparison edges E: each ranked point beats every point ranked below it
// and every unranked point (unranked points are incomparable), |E| = k(k−1)/2 + k(m−k), and
//   g = (1/|E|) Σ_{(i ≻ j) ∈ E} (ξ_j − ξ_i),   x ← x − ηg   (minimizing).
// Summed per point, the ranked point at place r (0 = best) carries 2r − (m − 1) and an unranked
// one carries k (the official notebook's m − 2r differs by one ξ_i per ranked point; see the
// reference §6.5). Only the order of the fitness values is used: give ranks, scores or any
// monotone values, and a non-finite value (with nonFinite: 'worst') for a point left unranked.
import { getBackend } from '../../backend/index.js';
import { checkInteger, checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions, sortByLoss } from '../common.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Population, Strategy, StrategyState } from '../types.js';

export interface ZoRankOptions extends CommonOptions {
  /** Points queried per step m, default 10. */
  popSize?: number;
  /** Points the oracle ranks k (the rest are unranked), default m. */
  topK?: number;
  /** Smoothing radius μ of the queries, default 0.01. */
  mu?: number;
  /** Step size η, default 0.1. */
  lr?: number;
  /** η ← η·lrDecay after each step, default 1 (a fixed η, as in the paper's plain form). */
  lrDecay?: number;
}

export interface ZoRankState extends StrategyState {
  readonly mean: Float32Array;
  /** η of the next step. */
  readonly lr: number;
}

export interface ZoRankPopulation extends Population {
  /** ξ_i [m × dim]. */
  readonly eps: Float32Array;
}

const KEYS = ['topK', 'mu', 'lr', 'lrDecay'] as const;

/**
 * Coefficient c_i of ξ_i in |E|·g for each member, from the losses' order (best first; at most
 * `topK` finite losses count as ranked). Returns the coefficients and |E|.
 */
export function zoRankCoefficients(losses: Float64Array, topK: number): { coef: Float64Array; edges: number } {
  const m = losses.length;
  const order = sortByLoss(losses);
  let k = 0;
  while (k < Math.min(topK, m) && Number.isFinite(losses[order[k] as number] as number)) k++;
  const coef = new Float64Array(m).fill(k);
  for (let r = 0; r < k; r++) coef[order[r] as number] = 2 * r - (m - 1);
  return { coef, edges: (k * (k - 1)) / 2 + k * (m - k) };
}

/** ZO-RankSGD with explicit state. */
export function zoRank(options: ZoRankOptions = {}): Strategy<ZoRankState, ZoRankPopulation> {
  const name = 'zoRank';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  const m = checkPopSize(options.popSize ?? 10, name);
  const topK = options.topK ?? m;
  checkInteger(topK, `${name}: topK`, 1, m);
  const mu = options.mu ?? 0.01;
  checkRange(mu, `${name}: mu`, Number.MIN_VALUE, Number.MAX_VALUE);
  const lr = options.lr ?? 0.1;
  checkRange(lr, `${name}: lr`, 0, Number.MAX_VALUE);
  const lrDecay = options.lrDecay ?? 1;
  checkRange(lrDecay, `${name}: lrDecay`, Number.MIN_VALUE, 1);

  return defineStrategy<ZoRankState, ZoRankPopulation>({
    name,
    common,
    popSize: m,
    dim: (state) => state.mean.length,
    init: (_key, mean) => ({ mean, lr }),
    ask({ state, key, popSize, dim }) {
      const eps = new Float32Array(popSize * dim);
      const x = new Float32Array(popSize * dim);
      getBackend().esPerturbNormal(key, 0, state.mean, new Float32Array([mu]), false, eps, x);
      return { x, popSize, dim, eps };
    },
    missing: ({ pop }) => (pop.eps instanceof Float32Array ? undefined : 'eps'),
    tell({ state, pop, dim }, losses) {
      const { coef, edges } = zoRankCoefficients(losses, topK);
      if (edges === 0) return { lr: state.lr * lrDecay };
      const mean = Float32Array.from(state.mean);
      for (let j = 0; j < dim; j++) {
        let g = 0;
        for (let i = 0; i < pop.popSize; i++) g += (coef[i] as number) * (pop.eps[i * dim + j] as number);
        mean[j] = (mean[j] as number) - (state.lr * g) / edges;
      }
      return { mean, lr: state.lr * lrDecay };
    },
    center: (state) => state.mean,
  });
}
