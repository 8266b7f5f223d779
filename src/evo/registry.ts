// The evolution strategies by name, for drivers such as `outerloop evo`: the factory and the
// options that take plain values (numbers, flags, names; their defaults and range checks are the
// factory's own, so a driver passes only what it was given). A new strategy is its file plus one
// entry here.
import { type OptionTable, type OptionTableOf, option } from '../util/options.js';
import type { StrategyName } from './optimize.js';
import { cbo } from './strategies/cbo.js';
import { cmaEs, sepCmaEs } from './strategies/cma_es.js';
import { ga } from './strategies/ga.js';
import { openaiEs } from './strategies/openai_es.js';
import { pgpe } from './strategies/pgpe.js';
import { snes } from './strategies/snes.js';
import { zoRank } from './strategies/zo_rank.js';
import type { CommonOptions, Population, Strategy, StrategyState } from './types.js';

/** A strategy as a driver sees it. */
export interface EvoStrategyEntry {
  /** One line for help. */
  readonly summary: string;
  /** The factory (the entry's options pass through to it). */
  create(options: Record<string, unknown>): Strategy<StrategyState, Population>;
  /** Options that take plain values, popSize included. */
  readonly options: OptionTable;
}

/** An entry, its options checked against the factory's own option type. */
function strategy<O extends CommonOptions>(entry: {
  summary: string;
  create: (options?: O) => object;
  options: Partial<OptionTableOf<NoInfer<O>>>;
}): EvoStrategyEntry {
  // Erased once: a driver passes only what the table declares, and the factory checks it.
  return entry as unknown as EvoStrategyEntry;
}

// Settings several strategies share, declared once.
const popSize = option.anyInteger('members per generation');
const sigma = option.anyNumber('initial perturbation, mutation or noise scale σ');
const lr = option.anyNumber("learning rate of the mean's default optimizer");
const shaping = option.oneOf(['centeredRanks', 'zScore', 'normalized', 'none'], 'fitness shaping');

/** The strategies `evo.optimize` and `outerloop evo` know, by their `evo.<name>` factory name. */
export const EVO_STRATEGIES = {
  openaiEs: strategy({
    summary: 'OpenAI-ES (Salimans et al. 2017): antithetic noise, rank-shaped gradient on the mean',
    create: openaiEs,
    options: {
      popSize,
      sigma,
      lr,
      sigmaDecay: option.anyNumber('multiply σ by this after each generation'),
      sigmaLimit: option.anyNumber('floor of the decayed σ'),
      weightDecay: option.anyNumber('L2 coefficient added to the gradient'),
      antithetic: option.boolean('mirrored pairs mean ± σε'),
      noise: option.oneOf(['table', 'normal'], 'noise from a shared table or fresh normals'),
      shaping,
    },
  }),
  pgpe: strategy({
    summary: 'PGPE (Sehnke et al. 2010): symmetric sampling, adapted σ, ClipUp on the mean',
    create: pgpe,
    options: {
      popSize,
      sigma,
      lr,
      sigmaLr: option.anyNumber('σ learning rate'),
      sigmaMaxChange: option.anyNumber('largest relative σ change per generation'),
      shaping,
    },
  }),
  snes: strategy({
    summary: 'SNES (Schaul et al. 2011): separable natural evolution strategy',
    create: snes,
    options: {
      popSize,
      sigma,
      lrMean: option.anyNumber('mean learning rate'),
      lrSigma: option.anyNumber('σ learning rate'),
    },
  }),
  cmaEs: strategy({
    summary: 'CMA-ES (Hansen 2016): full covariance matrix adaptation',
    create: cmaEs,
    options: { popSize, sigma },
  }),
  sepCmaEs: strategy({
    summary: 'sep-CMA-ES (Ros & Hansen 2008): diagonal covariance',
    create: sepCmaEs,
    options: { popSize, sigma },
  }),
  ga: strategy({
    summary: 'genetic algorithm of Deep Neuroevolution (Such et al. 2017): truncation selection, Gaussian mutation',
    create: ga,
    options: {
      popSize,
      sigma,
      initSigma: option.anyNumber('scale of the first mutation around x0'),
      parents: option.anyInteger('parents kept by truncation selection'),
      elitism: option.boolean('carry the best parent unchanged'),
    },
  }),
  cbo: strategy({
    summary: 'consensus-based optimization (Pinnau et al. 2017), anisotropic noise',
    create: cbo,
    options: {
      popSize,
      sigma,
      lambda: option.anyNumber('drift rate toward the consensus point'),
      dt: option.anyNumber('time step'),
      alpha: option.anyNumber('fixed inverse temperature of the consensus weights (default: adapted, see ess)'),
      ess: option.anyNumber('target effective sample size, as a fraction of the particles'),
      initStd: option.anyNumber('spread of the initial particles around x0'),
      anisotropic: option.boolean('coordinate-wise noise'),
    },
  }),
  zoRank: strategy({
    summary: 'ZO-RankSGD (Tang et al. 2023): descent from a top-k ranking of perturbed points only',
    create: zoRank,
    options: {
      popSize,
      lr,
      topK: option.anyInteger('points the oracle ranks (the rest are unranked)'),
      mu: option.anyNumber('smoothing radius μ of the queries'),
      lrDecay: option.anyNumber('multiply η by this after each step'),
    },
  }),
} as const satisfies Record<StrategyName, EvoStrategyEntry>;
