// OpenAI-ES (Salimans et al. 2017): antithetic Gaussian perturbations from a shared noise table,
// centered-rank shaping and a gradient optimizer for the mean. The loss-gradient estimate is
// evosax's g = Σ_i s_i ε_i / (P σ) (s: shaped losses, ε_i: member i's noise) plus weightDecay·mean.
// After each tell σ ← max(σ·sigmaDecay, sigmaLimit) (evosax's sigma_decay/sigma_limit).
//
// Defaults, from the anchors: Adam on the mean (Salimans et al.; evosax 0.1's OpenES) at evosax's
// 0.01 and σ0 = 0.04 (evosax 0.1), both decayed ×0.995 per generation to 1/8 of their start.
// evosax decays both by 0.999; at that rate σ is still 0.027 after 400 generations, and a member
// σε from the optimum of Σ w_i x_i² scores ≈ σ²·Σw (0.08 on the ellipsoid below), so no member gets
// near 1e-2. Centered ranks leave Adam's step (≈ lr per coordinate) and σ as the only scales, so
// they shrink together. The mirrored pairs are CMA-ES's λ = 4 + ⌊3 ln d⌋ (Hansen), P = 2λ.
// Measured (test/evo.test.ts) on the 20-D ellipsoid Σ w_i (x_i − 1)², w 1…10, x0 = 0 (f = 110),
// 400 generations, P = 24: best f ≈ 1e-3; the old defaults (fixed σ 0.05, P 64, gradient descent
// 0.01) stopped at 5e-2.
import { getBackend } from '../../backend/index.js';
import { adam } from '../../optim/rules/adam.js';
import { exponential } from '../../optim/schedules.js';
import { fold, bits as randomBits } from '../../random/index.js';
import { checkBoolean, checkNumber, checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions } from '../common.js';
import { type NoiseTable, noiseTable, tableIndices } from '../noise.js';
import { checkOptimizer, gradientDescent } from '../optimizers.js';
import { checkShaping, type Shaping, shapeLosses } from '../shaping.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, MeanOptimizer, Population, Strategy, StrategyState } from '../types.js';

export interface OpenAiEsOptions extends CommonOptions {
  /**
   * Members per generation (even when antithetic), default 2·(4 + ⌊3 ln d⌋) (24 at d = 20, 44 at
   * d = 450): as many mirrored pairs as CMA-ES/SNES draw members. Fixed at the first init when not given.
   */
  popSize?: number;
  /** Initial perturbation scale σ, default 0.04 (evosax 0.1). */
  sigma?: number;
  /** σ ← max(σ·sigmaDecay, sigmaLimit) after each tell; default 0.995 (1 keeps σ fixed, as in Salimans et al.). */
  sigmaDecay?: number;
  /** Floor of the decayed σ: default sigma/8 with the default sigmaDecay, 0 with a given one. */
  sigmaLimit?: number;
  /**
   * Mean optimizer (any `optim` optimizer, e.g. `optim.adam({ lr: 0.01 })`). Default: Adam whose
   * rate starts at 0.01 and decays ×0.995 per generation to 0.00125; with `lr`, plain gradient
   * descent at that rate instead.
   */
  optimizer?: MeanOptimizer;
  /** Rate of plain gradient descent on the mean (replaces the default Adam schedule). */
  lr?: number;
  /** L2 coefficient added to the gradient (weightDecay·mean), default 0. */
  weightDecay?: number;
  /** Mirrored pairs mean ± σε, default true. */
  antithetic?: boolean;
  /** 'table' (default): slices of a noise table; 'normal': fresh Philox normals per member. */
  noise?: 'table' | 'normal';
  /** A table to share between strategies or runs; by default `init` builds one from its key. */
  noiseTable?: NoiseTable;
  /** Size of the table `init` builds, default max(2^22, 4·dim). */
  tableSize?: number;
  /** Fitness shaping, default 'centeredRanks'. */
  shaping?: Shaping;
}

export interface OpenAiEsState extends StrategyState {
  readonly mean: Float32Array;
  /** The σ of the next ask. */
  readonly sigma: number;
  readonly optState: unknown;
  readonly table: NoiseTable | undefined;
}

export interface OpenAiEsPopulation extends Population {
  /** Noise-table index of each noise vector (one per pair when antithetic). */
  readonly noiseIndex?: Uint32Array;
  /** Fresh noise rows [noise vectors × dim] (noise: 'normal'). */
  readonly eps?: Float32Array;
}

const KEYS = [
  'sigma',
  'sigmaDecay',
  'sigmaLimit',
  'optimizer',
  'lr',
  'weightDecay',
  'antithetic',
  'noise',
  'noiseTable',
  'tableSize',
  'shaping',
] as const;

/** The default population for dimension d: 2·(4 + ⌊3 ln d⌋) members, as many mirrored pairs as CMA-ES's λ. */
export function mirroredPopSize(d: number): number {
  return 2 * (4 + Math.floor(3 * Math.log(d)));
}

/** OpenAI-ES with explicit state. Without `popSize`, the size follows the dimension given to `init`. */
export function openaiEs(options: OpenAiEsOptions = {}): Strategy<OpenAiEsState, OpenAiEsPopulation> {
  const name = 'openaiEs';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  const antithetic = options.antithetic ?? true;
  checkBoolean(antithetic, `${name}: antithetic`);
  if (options.popSize !== undefined) checkPopSize(options.popSize, name, antithetic);
  const sizeFor = (d: number) => options.popSize ?? mirroredPopSize(d);
  const sigma = options.sigma ?? 0.04;
  checkRange(sigma, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);
  const sigmaDecay = options.sigmaDecay ?? 0.995;
  checkRange(sigmaDecay, `${name}: sigmaDecay`, Number.MIN_VALUE, 1);
  const sigmaLimit = options.sigmaLimit ?? (options.sigmaDecay === undefined ? sigma / 8 : 0);
  checkRange(sigmaLimit, `${name}: sigmaLimit`, 0, Number.MAX_VALUE);
  const weightDecay = options.weightDecay ?? 0;
  checkNumber(weightDecay, `${name}: weightDecay`);
  if (options.lr !== undefined) checkNumber(options.lr, `${name}: lr`);
  const optimizer: MeanOptimizer = options.optimizer
    ? checkOptimizer(options.optimizer, name)
    : options.lr !== undefined
      ? gradientDescent(options.lr)
      : adam({ lr: exponential({ init: 0.01, steps: 1, rate: 0.995, end: 0.01 / 8 }) });
  const noise = options.noise ?? 'table';
  if (noise !== 'table' && noise !== 'normal') throw new RangeError(`${name}: noise: expected 'table' or 'normal'`);
  const shaping = options.shaping ?? 'centeredRanks';
  checkShaping(shaping, name);
  const given = options.noiseTable;
  if (given !== undefined && !(given?.data instanceof Float32Array))
    throw new TypeError(`${name}: noiseTable: expected a table from evo.noiseTable(seed, size)`);
  const numNoiseFor = (popSize: number) => (antithetic ? popSize / 2 : popSize);

  return defineStrategy<OpenAiEsState, OpenAiEsPopulation>({
    name,
    common,
    popSize: sizeFor,
    dim: (state) => state.mean.length,
    init(key, mean) {
      let table: NoiseTable | undefined;
      if (noise === 'table') {
        table = options.noiseTable ?? noiseTable(fold(key, 0), options.tableSize ?? Math.max(1 << 22, 4 * mean.length));
        if (table.data.length < mean.length)
          throw new RangeError(`${name}: noise table: expected at least dim = ${mean.length} elements`);
      }
      return { mean, sigma, optState: optimizer.init(mean), table };
    },
    ask({ state, key, popSize, dim }) {
      const numNoise = numNoiseFor(popSize);
      const x = new Float32Array(popSize * dim);
      const b = getBackend();
      const sigmaArr = new Float32Array([state.sigma]);
      if (state.table) {
        const noiseIndex = tableIndices(randomBits(key, numNoise), state.table.data.length, dim);
        b.esPerturbTable(state.table.data, noiseIndex, state.mean, sigmaArr, antithetic, x);
        return { x, popSize, dim, noiseIndex };
      }
      const eps = new Float32Array(numNoise * dim);
      b.esPerturbNormal(key, 0, state.mean, sigmaArr, antithetic, eps, x);
      return { x, popSize, dim, eps };
    },
    missing({ state, pop }) {
      if (state.table) return pop.noiseIndex instanceof Uint32Array ? undefined : 'noiseIndex';
      return pop.eps instanceof Float32Array ? undefined : 'eps';
    },
    tell({ state, pop, popSize, dim }, losses) {
      const numNoise = numNoiseFor(popSize);
      const s = shapeLosses(shaping, losses, name);
      const weights = new Float64Array(numNoise);
      const scale = 1 / (popSize * state.sigma);
      for (let i = 0; i < numNoise; i++)
        weights[i] = antithetic ? ((s[2 * i] as number) - (s[2 * i + 1] as number)) * scale : (s[i] as number) * scale;
      const grad = new Float32Array(dim);
      const b = getBackend();
      if (state.table) b.esWeightedSumTable(state.table.data, pop.noiseIndex as Uint32Array, weights, grad);
      else b.esWeightedSumRows(pop.eps as Float32Array, weights, grad);
      if (weightDecay !== 0) b.axpy(weightDecay, state.mean, grad);
      optimizer.step(state.mean, grad, state.optState);
      return { sigma: Math.max(state.sigma * sigmaDecay, sigmaLimit) };
    },
    center: (state) => state.mean,
  });
}
