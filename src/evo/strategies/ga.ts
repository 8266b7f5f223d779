// The simple genetic algorithm of Deep Neuroevolution (Such et al. 2017) with seed-list genomes.
// A genome is a list of 32-bit seeds [τ0, τ1, …]; it decodes to
//   θ = x0 + initSigma·N(τ0) + σ·N(τ1) + … + σ·N(τn)      (N(τ) = normals of fold(noiseKey, τ))
// evaluated left to right in float32, so a genome rebuilt from its seeds is bit-identical to the
// member the strategy made. Each generation: member 0 is the elite (the best parent, unchanged and
// re-evaluated), every other member is a uniformly chosen parent plus σ·N(new seed); the best
// `parents` members (truncation selection) become the next parents.
import { getBackend } from '../../backend/index.js';
import { fold, type Key, bits as randomBits, uniform as randomUniform } from '../../random/index.js';
import { checkInteger, checkRange } from '../../util/check.js';
import { checkOptions, checkPopSize, commonOptions, sortByLoss } from '../common.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Population, Strategy, StrategyState } from '../types.js';

export interface GaOptions extends CommonOptions {
  /** Members per generation, default 64. */
  popSize?: number;
  /** Mutation scale σ, default 0.02. */
  sigma?: number;
  /** Scale of the first seed's noise around x0, default σ (0 starts every genome at x0). */
  initSigma?: number;
  /** Parents kept by truncation selection, default max(2, ⌊popSize/5⌋). */
  parents?: number;
  /** Carry the best parent unchanged as member 0 (default true). */
  elitism?: boolean;
}

export interface GaState extends StrategyState {
  readonly x0: Float32Array;
  /** Key the genome noise is folded from. */
  readonly noiseKey: Key;
  /** Parents' parameters [parents × dim] (empty before the first tell). */
  readonly parentParams: Float32Array;
  /** Parents' genomes, best first. */
  readonly parentGenomes: readonly Uint32Array[];
}

export interface GaPopulation extends Population {
  /** Member i's genome (seed list). */
  readonly genomes: readonly Uint32Array[];
}

/** A GA strategy with a `decode` that rebuilds a member's parameters from its genome. */
export interface GaStrategy extends Strategy<GaState, GaPopulation> {
  /**
   * The parameters of the member with this seed-list genome, bit-identical to the one the strategy
   * made (x0 + initSigma·N(τ0) + σ·N(τ1) + …, in float32). Throws a TypeError on an empty or
   * non-Uint32Array genome.
   */
  decode(state: GaState, genome: Uint32Array): Float32Array;
}

const KEYS = ['sigma', 'initSigma', 'parents', 'elitism'] as const;

/** The Deep Neuroevolution GA with explicit state. */
export function ga(options: GaOptions = {}): GaStrategy {
  const name = 'ga';
  checkOptions(options, KEYS, name);
  const common = commonOptions(options, name);
  const popSize = checkPopSize(options.popSize ?? 64, name);
  const sigma = options.sigma ?? 0.02;
  checkRange(sigma, `${name}: sigma`, 0, Number.MAX_VALUE);
  const initSigma = options.initSigma ?? sigma;
  checkRange(initSigma, `${name}: initSigma`, 0, Number.MAX_VALUE);
  const numParents = options.parents ?? Math.max(2, Math.floor(popSize / 5));
  checkInteger(numParents, `${name}: parents`, 1, popSize);
  const elitism = options.elitism ?? true;

  // out += scale·N(seed), the one operation both making and decoding a genome use.
  function addNoise(noiseKey: Key, seed: number, scale: number, out: Float32Array): void {
    const b = getBackend();
    const eps = new Float32Array(out.length);
    b.randomNormal(fold(noiseKey, seed), 0, eps);
    b.axpy(scale, eps, out);
  }

  const strategy = defineStrategy<GaState, GaPopulation>({
    name,
    common,
    popSize,
    dim: (state) => state.x0.length,
    init: (key, x0) => ({ x0, noiseKey: fold(key, 0), parentParams: new Float32Array(0), parentGenomes: [] }),
    ask({ state, key, popSize, dim }) {
      const x = new Float32Array(popSize * dim);
      const [seedKey, parentKey] = [fold(key, 0), fold(key, 1)];
      const seeds = randomBits(seedKey, popSize);
      const genomes: Uint32Array[] = [];
      if (state.parentGenomes.length === 0) {
        for (let i = 0; i < popSize; i++) {
          const member = x.subarray(i * dim, (i + 1) * dim);
          member.set(state.x0);
          addNoise(state.noiseKey, seeds[i] as number, initSigma, member);
          genomes.push(Uint32Array.of(seeds[i] as number));
        }
        return { x, popSize, dim, genomes };
      }
      const pick = randomUniform(parentKey, popSize);
      const t = state.parentGenomes.length;
      for (let i = 0; i < popSize; i++) {
        const member = x.subarray(i * dim, (i + 1) * dim);
        if (elitism && i === 0) {
          member.set(state.parentParams.subarray(0, dim));
          genomes.push(Uint32Array.from(state.parentGenomes[0] as Uint32Array));
          continue;
        }
        const p = Math.min(t - 1, Math.floor((pick[i] as number) * t));
        member.set(state.parentParams.subarray(p * dim, (p + 1) * dim));
        addNoise(state.noiseKey, seeds[i] as number, sigma, member);
        const parent = state.parentGenomes[p] as Uint32Array;
        const g = new Uint32Array(parent.length + 1);
        g.set(parent);
        g[parent.length] = seeds[i] as number;
        genomes.push(g);
      }
      return { x, popSize, dim, genomes };
    },
    missing: ({ pop, popSize }) =>
      Array.isArray(pop.genomes) && pop.genomes.length === popSize ? undefined : 'genomes',
    tell({ pop, dim }, losses) {
      const order = sortByLoss(losses).slice(0, numParents);
      const parentParams = new Float32Array(order.length * dim);
      order.forEach((m, k) => {
        parentParams.set(pop.x.subarray(m * dim, (m + 1) * dim), k * dim);
      });
      const parentGenomes = order.map((m) => pop.genomes[m] as Uint32Array);
      return { parentParams, parentGenomes };
    },
    center: (state) => (state.parentGenomes.length ? state.parentParams.slice(0, state.x0.length) : state.x0),
  });
  return Object.assign(strategy, {
    decode(state: GaState, genome: Uint32Array) {
      if (!(genome instanceof Uint32Array) || genome.length === 0)
        throw new TypeError(`${name}: decode: genome: expected a non-empty Uint32Array of seeds`);
      const theta = Float32Array.from(state.x0);
      addNoise(state.noiseKey, genome[0] as number, initSigma, theta);
      for (let k = 1; k < genome.length; k++) addNoise(state.noiseKey, genome[k] as number, sigma, theta);
      return theta;
    },
  });
}
