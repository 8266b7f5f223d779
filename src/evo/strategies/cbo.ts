// Consensus-based optimization (Pinnau et al. 2017; anisotropic noise as in Carrillo et al. 2019
// and Riedl et al., "Gradient is All You Need?", 2023). Particles X_i move toward the consensus
// point v_α = Σ ω_i X_i / Σ ω_i, ω_i = exp(−α(L_i − min L)), with one Euler–Maruyama step
//   X_i ← X_i − λ dt (X_i − v_α) + σ √dt D_i ξ_i
// where D_i ξ_i = (X_i − v_α) ⊙ ξ_i (anisotropic) or ‖X_i − v_α‖ ξ_i (isotropic). `tell` computes
// v_α from the evaluated particles; the next `ask` takes the step (all randomness lives in ask).
// Defaults (λ = 1, σ = 3, dt = 0.05, so σ√dt ≈ 0.67; 100 particles; α adapted so the weights'
// effective sample size is 2% of the particles) were tuned on sphere and Rosenbrock in 10 and 100
// dimensions (examples/evo_benchmarks.ts). With anisotropic noise each coordinate's spread around
// v_α contracts like a geometric Brownian motion whatever σ is, so it is σ√dt (the relative jump
// per step) that sets how far particles explore before they collapse: below ≈0.5 they collapse
// before reaching the minimum; above ≈0.8 the swarm can blow up in 100-d. Isotropic noise needs
// 2λ > dσ² to contract at all and is for low dimensions.
import { normal as randomNormal } from '../../random/index.js';
import { checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions } from '../common.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Population, Strategy, StrategyState } from '../types.js';
import { consensusWeights, essAlpha, lossGaps } from './cbo_weights.js';

export interface CboOptions extends CommonOptions {
  /** Particles, default 100. */
  popSize?: number;
  /** Drift rate λ, default 1. */
  lambda?: number;
  /** Noise scale σ, default 3. */
  sigma?: number;
  /** Time step, default 0.05. */
  dt?: number;
  /**
   * A fixed inverse temperature α of the consensus weights exp(−α L). By default α is chosen
   * every generation from the losses (see `ess`); give either `alpha` or `ess`, not both.
   */
  alpha?: number;
  /** Target effective sample size of the weights, as a fraction of the particles (default 0.02). */
  ess?: number;
  /** Spread of the initial particles around x0, default 1. */
  initStd?: number;
  /** Coordinate-wise noise (default true), or one scale per particle. */
  anisotropic?: boolean;
}

export interface CboState extends StrategyState {
  readonly particles: Float32Array;
  /** v_α after the last tell (undefined before the first). */
  readonly consensus: Float64Array | undefined;
  /** The α the last tell used (NaN before the first). */
  readonly alpha: number;
  readonly dim: number;
}

const KEYS = ['lambda', 'sigma', 'dt', 'alpha', 'ess', 'initStd', 'anisotropic'] as const;

/** Consensus-weighted mean of particles (rows of x) with weights exp(−α(L − min L)). */
export function consensusPoint(x: Float32Array, losses: Float64Array, dim: number, alpha: number): Float64Array {
  const w = consensusWeights(lossGaps(losses), alpha);
  const v = new Float64Array(dim);
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    total += wi;
    for (let j = 0; j < dim; j++) v[j] = (v[j] as number) + wi * (x[i * dim + j] as number);
  }
  for (let j = 0; j < dim; j++) v[j] = (v[j] as number) / total;
  return v;
}

/** CBO with explicit state. */
export function cbo(options: CboOptions = {}): Strategy<CboState, Population> {
  const name = 'cbo';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  const popSize = checkPopSize(options.popSize ?? 100, name);
  const lambda = options.lambda ?? 1;
  const sigma = options.sigma ?? 3;
  const dt = options.dt ?? 0.05;
  if (options.alpha !== undefined && options.ess !== undefined)
    throw new RangeError(`${name}: give alpha (fixed) or ess (adaptive α), not both`);
  const alpha = options.alpha;
  const ess = options.ess ?? 0.02;
  const initStd = options.initStd ?? 1;
  checkRange(lambda, `${name}: lambda`, 0, Number.MAX_VALUE);
  checkRange(sigma, `${name}: sigma`, 0, Number.MAX_VALUE);
  checkRange(dt, `${name}: dt`, Number.MIN_VALUE, Number.MAX_VALUE);
  if (alpha !== undefined) checkRange(alpha, `${name}: alpha`, 0, Number.MAX_VALUE);
  checkRange(ess, `${name}: ess`, Number.MIN_VALUE, 1);
  checkRange(initStd, `${name}: initStd`, 0, Number.MAX_VALUE);
  const anisotropic = options.anisotropic ?? true;

  return defineStrategy<CboState, Population>({
    name,
    common,
    popSize,
    dim: (state) => state.dim,
    init(key, center) {
      const dim = center.length;
      const noise = randomNormal(key, popSize * dim);
      const particles = new Float32Array(popSize * dim);
      for (let i = 0; i < popSize * dim; i++)
        particles[i] = (center[i % dim] as number) + initStd * (noise[i] as number);
      return { particles, consensus: undefined, alpha: Number.NaN, dim };
    },
    ask({ state, key, popSize, dim }) {
      const v = state.consensus;
      if (!v) return { x: Float32Array.from(state.particles), popSize, dim };
      const xi = randomNormal(key, popSize * dim);
      const x = new Float32Array(popSize * dim);
      const sq = sigma * Math.sqrt(dt);
      for (let i = 0; i < popSize; i++) {
        const o = i * dim;
        let norm = 0;
        if (!anisotropic) {
          for (let j = 0; j < dim; j++) norm += ((state.particles[o + j] as number) - (v[j] as number)) ** 2;
          norm = Math.sqrt(norm);
        }
        for (let j = 0; j < dim; j++) {
          const diff = (state.particles[o + j] as number) - (v[j] as number);
          const scale = anisotropic ? diff : norm;
          x[o + j] = (state.particles[o + j] as number) - lambda * dt * diff + sq * scale * (xi[o + j] as number);
        }
      }
      return { x, popSize, dim };
    },
    tell({ pop, dim }, losses) {
      const a = alpha ?? essAlpha(lossGaps(losses), ess);
      return { particles: Float32Array.from(pop.x), consensus: consensusPoint(pop.x, losses, dim, a), alpha: a };
    },
    center: (state) => (state.consensus ? Float32Array.from(state.consensus) : state.particles.slice(0, state.dim)),
  });
}
