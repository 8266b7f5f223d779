// SNES, separable natural evolution strategies (Schaul, Glasmachers, Schmidhuber 2011):
//   x_i = μ + σ⊙ε_i;  u: rank utilities (best first) u_k ∝ max(0, ln(λ/2 + 1) − ln k), Σu = 1, minus 1/λ
//   ∇μ = Σ u_i ε_i;   ∇σ = Σ u_i (ε_i² − 1)
//   μ ← μ + lrMean·σ⊙∇μ;   σ ← σ⊙exp(lrSigma/2·∇σ)
// Defaults: λ = 4 + ⌊3 ln d⌋, lrMean = 1, lrSigma = (3 + ln d)/(5√d).
import { getBackend } from '../../backend/index.js';
import { checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions, sortByLoss } from '../common.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Population, Strategy, StrategyState } from '../types.js';

export interface SnesOptions extends CommonOptions {
  /** Members per generation, default 4 + ⌊3 ln d⌋ (needs the dimension, so fixed at the first init). */
  popSize?: number;
  /** Initial σ (every coordinate), default 1. */
  sigma?: number;
  /** Mean learning rate, default 1. */
  lrMean?: number;
  /** σ learning rate, default (3 + ln d)/(5√d). */
  lrSigma?: number;
}

export interface SnesState extends StrategyState {
  readonly mean: Float32Array;
  readonly sigma: Float32Array;
}

export interface SnesPopulation extends Population {
  /** Member i's standard normal ε_i [P × dim]. */
  readonly eps: Float32Array;
}

/** NES rank utilities for λ members: utility of the member with rank k (0 = best). */
export function snesUtilities(lambda: number): Float64Array {
  const u = new Float64Array(lambda);
  let sum = 0;
  for (let k = 0; k < lambda; k++) {
    u[k] = Math.max(0, Math.log(lambda / 2 + 1) - Math.log(k + 1));
    sum += u[k] as number;
  }
  for (let k = 0; k < lambda; k++) u[k] = (u[k] as number) / sum - 1 / lambda;
  return u;
}

const KEYS = ['sigma', 'lrMean', 'lrSigma'] as const;

/** Default SNES population size for dimension d. */
export function snesPopSize(d: number): number {
  return 4 + Math.floor(3 * Math.log(d));
}

/** SNES with explicit state. Without `popSize`, the size follows the dimension given to `init`. */
export function snes(options: SnesOptions = {}): Strategy<SnesState, SnesPopulation> {
  const name = 'snes';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  if (options.popSize !== undefined) checkPopSize(options.popSize, name);
  const sigma0 = options.sigma ?? 1;
  checkRange(sigma0, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);
  const lrMean = options.lrMean ?? 1;
  checkRange(lrMean, `${name}: lrMean`, 0, Number.MAX_VALUE);
  if (options.lrSigma !== undefined) checkRange(options.lrSigma, `${name}: lrSigma`, 0, Number.MAX_VALUE);

  return defineStrategy<SnesState, SnesPopulation>({
    name,
    common,
    popSize: (d) => options.popSize ?? snesPopSize(d),
    dim: (state) => state.mean.length,
    init: (_key, mean) => ({ mean, sigma: new Float32Array(mean.length).fill(sigma0) }),
    ask({ state, key, popSize, dim }) {
      const x = new Float32Array(popSize * dim);
      const eps = new Float32Array(popSize * dim);
      getBackend().esPerturbNormal(key, 0, state.mean, state.sigma, false, eps, x);
      return { x, popSize, dim, eps };
    },
    missing: ({ pop, popSize, dim }) =>
      pop.eps instanceof Float32Array && pop.eps.length === popSize * dim ? undefined : 'eps',
    tell({ state, pop, popSize, dim }, losses) {
      const order = sortByLoss(losses);
      const utilByRank = snesUtilities(popSize);
      const u = new Float64Array(popSize);
      order.forEach((member, rank) => {
        u[member] = utilByRank[rank] as number;
      });
      const gradMean = new Float32Array(dim);
      getBackend().esWeightedSumRows(pop.eps, u, gradMean);
      const gradSigma = new Float64Array(dim);
      for (let i = 0; i < popSize; i++) {
        const w = u[i] as number;
        const o = i * dim;
        for (let j = 0; j < dim; j++) {
          const e = pop.eps[o + j] as number;
          gradSigma[j] = (gradSigma[j] as number) + w * (e * e - 1);
        }
      }
      const lrSigma = options.lrSigma ?? (3 + Math.log(dim)) / (5 * Math.sqrt(dim));
      const mean = new Float32Array(dim);
      const sigma = new Float32Array(dim);
      for (let j = 0; j < dim; j++) {
        const sj = state.sigma[j] as number;
        mean[j] = (state.mean[j] as number) + lrMean * sj * (gradMean[j] as number);
        sigma[j] = sj * Math.exp((lrSigma / 2) * (gradSigma[j] as number));
      }
      return { mean, sigma };
    },
    center: (state) => state.mean,
  });
}
