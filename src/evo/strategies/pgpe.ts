// PGPE (Sehnke et al. 2010) with symmetric sampling and σ adaptation, as in evosax: for pair i
// with δ_i = σ⊙ε_i and shaped losses s⁺_i, s⁻_i (n = P/2 pairs, b = mean of all s):
//   ∇μ = Σ_i ½(s⁺_i − s⁻_i) δ_i / n                         (descended by the optimizer)
//   ∇σ = Σ_i (½(s⁺_i + s⁻_i) − b)(δ_i² − σ²)/σ / n
//   σ ← clip(σ − sigmaLr·∇σ, σ(1 − maxChange), σ(1 + maxChange))
//
// Defaults, from the anchors: the mean follows plain gradient descent as in Sehnke et al. Since ∇μ
// is built from δ = σ⊙ε, that step shrinks with the adapted σ (like SNES's σ-scaled step), so the
// mean converges as σ does; a normalised-step optimizer (ClipUp, evosax's default) moves ≈ lr per
// generation whatever σ is and stalls at f ≈ lr²·tr(H) (1e-1 on the ellipsoid below). Centered
// ranks give the pair weights a mass Σ|w| ≈ 1/6, so at lr 4 the step weighs its noise vectors
// about as much as SNES's utilities do (Σ|u| ≈ 1.1 at λ = 12, lrMean 1). σ0 0.1 (estool's PEPG),
// sigmaLr 0.1 and sigmaMaxChange 0.2 (evosax) are kept; the pairs are CMA-ES's λ = 4 + ⌊3 ln d⌋.
// Measured on the 20-D ellipsoid Σ w_i (x_i − 1)², w 1…10, x0 = 0 (f = 110), 400 generations,
// P = 24 (test/evo.test.ts): lr 1, 2, 4, 8 reach 4e-3, 1.2e-3, 7e-4, 1.3e-3 (100-D: 4, 0.5, 0.3,
// 0.4); the old defaults (ClipUp 0.15, P 64) stopped at 1e-1.
import { getBackend } from '../../backend/index.js';
import { checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions } from '../common.js';
import { checkOptimizer, gradientDescent } from '../optimizers.js';
import { checkShaping, type Shaping, shapeLosses } from '../shaping.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, MeanOptimizer, Population, Strategy, StrategyState } from '../types.js';
import { mirroredPopSize } from './openai_es.js';

export interface PgpeOptions extends CommonOptions {
  /**
   * Members per generation (even), default 2·(4 + ⌊3 ln d⌋) (24 at d = 20): as many symmetric pairs
   * as CMA-ES/SNES draw members. Fixed at the first init when not given.
   */
  popSize?: number;
  /** Initial σ (every coordinate), default 0.1. */
  sigma?: number;
  /** σ learning rate, default 0.1. */
  sigmaLr?: number;
  /** Largest relative σ change per generation, default 0.2. */
  sigmaMaxChange?: number;
  /** Mean optimizer (e.g. `evo.clipUp({ lr: 0.15 })`); default gradient descent with `lr`. */
  optimizer?: MeanOptimizer;
  /** Rate of the default gradient descent on the mean, default 4. */
  lr?: number;
  /** Fitness shaping, default 'centeredRanks'. */
  shaping?: Shaping;
}

export interface PgpeState extends StrategyState {
  readonly mean: Float32Array;
  readonly sigma: Float32Array;
  readonly optState: unknown;
}

export interface PgpePopulation extends Population {
  /** The standard normals ε_i [P/2 × dim]; members 2i, 2i+1 are mean ± σ⊙ε_i. */
  readonly eps: Float32Array;
}

const KEYS = ['sigma', 'sigmaLr', 'sigmaMaxChange', 'optimizer', 'lr', 'shaping'] as const;

/** PGPE with explicit state. Without `popSize`, the size follows the dimension given to `init`. */
export function pgpe(options: PgpeOptions = {}): Strategy<PgpeState, PgpePopulation> {
  const name = 'pgpe';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  if (options.popSize !== undefined) checkPopSize(options.popSize, name, true);
  const sizeFor = (d: number) => options.popSize ?? mirroredPopSize(d);
  const sigma0 = options.sigma ?? 0.1;
  checkRange(sigma0, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);
  const sigmaLr = options.sigmaLr ?? 0.1;
  checkRange(sigmaLr, `${name}: sigmaLr`, 0, Number.MAX_VALUE);
  const maxChange = options.sigmaMaxChange ?? 0.2;
  checkRange(maxChange, `${name}: sigmaMaxChange`, 0, 1);
  if (options.lr !== undefined) checkRange(options.lr, `${name}: lr`, 0, Number.MAX_VALUE);
  const optimizer = options.optimizer ? checkOptimizer(options.optimizer, name) : gradientDescent(options.lr ?? 4);
  const shaping = options.shaping ?? 'centeredRanks';
  checkShaping(shaping, name);

  return defineStrategy<PgpeState, PgpePopulation>({
    name,
    common,
    popSize: sizeFor,
    dim: (state) => state.mean.length,
    init: (_key, mean) => ({
      mean,
      sigma: new Float32Array(mean.length).fill(sigma0),
      optState: optimizer.init(mean),
    }),
    ask({ state, key, popSize, dim }) {
      const x = new Float32Array(popSize * dim);
      const eps = new Float32Array((popSize / 2) * dim);
      getBackend().esPerturbNormal(key, 0, state.mean, state.sigma, true, eps, x);
      return { x, popSize, dim, eps };
    },
    missing: ({ pop, popSize, dim }) =>
      pop.eps instanceof Float32Array && pop.eps.length === (popSize / 2) * dim ? undefined : 'eps',
    tell({ state, pop, popSize, dim }, losses) {
      const n = popSize / 2;
      const s = shapeLosses(shaping, losses, name);
      let baseline = 0;
      for (const v of s) baseline += v;
      baseline /= popSize;
      const wMean = new Float64Array(n);
      const wSigma = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const sp = s[2 * i] as number;
        const sm = s[2 * i + 1] as number;
        wMean[i] = (0.5 * (sp - sm)) / n;
        wSigma[i] = (0.5 * (sp + sm) - baseline) / n;
      }
      // ∇μ_j = σ_j Σ_i wMean_i ε_ij
      const grad = new Float32Array(dim);
      getBackend().esWeightedSumRows(pop.eps, wMean, grad);
      const sigma = state.sigma;
      for (let j = 0; j < dim; j++) grad[j] = (grad[j] as number) * (sigma[j] as number);
      // ∇σ_j = Σ_i wSigma_i σ_j (ε_ij² − 1)
      const gradSigma = new Float64Array(dim);
      const eps = pop.eps;
      for (let i = 0; i < n; i++) {
        const w = wSigma[i] as number;
        if (w === 0) continue;
        const o = i * dim;
        for (let j = 0; j < dim; j++) {
          const e = eps[o + j] as number;
          gradSigma[j] = (gradSigma[j] as number) + w * (e * e - 1);
        }
      }
      const nextSigma = new Float32Array(dim);
      for (let j = 0; j < dim; j++) {
        const sj = sigma[j] as number;
        const proposed = sj - sigmaLr * sj * (gradSigma[j] as number);
        nextSigma[j] = Math.min(Math.max(proposed, sj * (1 - maxChange)), sj * (1 + maxChange));
      }
      optimizer.step(state.mean, grad, state.optState);
      return { sigma: nextSigma };
    },
    center: (state) => state.mean,
  });
}
