/**
 * Bandit baselines of RL² (Duan et al. 2016, Table 1; definitions in reference §5.4). All act on
 * posterior statistics; ties are broken uniformly at random so that no arm is favoured by its
 * index. Bernoulli arms use Beta posteriors; Gaussian arms (μ ~ N(0, 1), unit reward noise) the
 * conjugate N(Σr / (n + 1), 1 / (n + 1)) posterior. Gittins and the exact DP are Bernoulli-only.
 *
 * @module
 */
import { checkKnownKeys, checkRange } from '../util/check.js';
import { BetaBernoulliDp } from './bayes_dp.js';
import { GittinsTable } from './gittins.js';
import type { BanditActor, BanditRewards, BanditSetting, BanditView, Baseline, BetaPrior } from './types.js';

// Fills out[row] with a uniformly random argmax of score(row, arm) (reservoir over ties).
function argmaxRows(view: BanditView, out: Int32Array, score: (base: number, i: number) => number): void {
  const k = view.arms;
  for (let r = 0; r < view.rows; r++) {
    const base = r * k;
    let best = Number.NEGATIVE_INFINITY;
    let arg = 0;
    let ties = 0;
    for (let i = 0; i < k; i++) {
      const v = score(base, i);
      if (v > best + 1e-12) {
        best = v;
        arg = i;
        ties = 1;
      } else if (v >= best - 1e-12 && view.rng.uniform() * ++ties < 1) {
        arg = i;
      }
    }
    out[r] = arg;
  }
}

function make(name: string, bandit: (setting: BanditSetting) => BanditActor): Baseline {
  return { kind: 'metaRl.baseline', name, bandit };
}

function betaMean(view: BanditView, prior: BetaPrior, j: number): number {
  const s = view.successes[j] as number;
  const f = view.failures[j] as number;
  return (prior.alpha + s) / (prior.alpha + prior.beta + s + f);
}

// The posterior mean of μ under a N(0, 1) prior and unit-variance rewards.
function gaussianMean(view: BanditView, j: number): number {
  return (view.sums[j] as number) / ((view.pulls[j] as number) + 1);
}

/** The posterior-mean function of a setting's arms. */
function posteriorMean(setting: BanditSetting): (view: BanditView, j: number) => number {
  if ((setting.rewards ?? 'bernoulli') === 'gaussian') return gaussianMean;
  const prior = setting.prior;
  return (view, j) => betaMean(view, prior, j);
}

function bernoulliOnly(name: string, rewards: BanditRewards | undefined): void {
  if ((rewards ?? 'bernoulli') !== 'bernoulli')
    throw new RangeError(`${name}: defined for Bernoulli arms only, got rewards '${rewards}'`);
}

/** Pulls an arm uniformly at random. */
export function random(): Baseline {
  return make('random', ({ arms }) => (view, out) => {
    for (let r = 0; r < view.rows; r++) out[r] = Math.min(arms - 1, Math.floor(view.rng.uniform() * arms));
  });
}

/** Pulls the arm of highest posterior mean (ties at random). */
export function greedy(): Baseline {
  return make('greedy', (setting) => {
    const mean = posteriorMean(setting);
    return (view, out) => argmaxRows(view, out, (b, i) => mean(view, b + i));
  });
}

/** Options of `epsGreedy`. */
export interface EpsGreedyOptions {
  /** Probability of a uniformly random arm (default 0.1; the paper's value is unverified). */
  eps?: number;
}

/** Greedy on posterior means, except a uniformly random arm with probability ε. */
export function epsGreedy(options: EpsGreedyOptions = {}): Baseline {
  checkKnownKeys(options, ['eps'], 'options');
  const eps = options.eps ?? 0.1;
  checkRange(eps, 'options.eps', 0, 1);
  return make(`epsGreedy(ε=${eps})`, (setting) => {
    const mean = posteriorMean(setting);
    const arms = setting.arms;
    return (view, out) => {
      argmaxRows(view, out, (b, i) => mean(view, b + i));
      for (let r = 0; r < view.rows; r++) {
        if (view.rng.uniform() < eps) out[r] = Math.min(arms - 1, Math.floor(view.rng.uniform() * arms));
      }
    };
  });
}

/** Options of `ucb1`. */
export interface Ucb1Options {
  /** Exploration constant c (default 1: plain UCB1; the paper's tuned value is unverified). */
  c?: number;
}

/** UCB1 (Auer et al. 2002): each arm once, then argmax x̄_i + c √(2 ln t / n_i) (empirical means). */
export function ucb1(options: Ucb1Options = {}): Baseline {
  checkKnownKeys(options, ['c'], 'options');
  const c = options.c ?? 1;
  checkRange(c, 'options.c', 0, Number.MAX_VALUE);
  return make(c === 1 ? 'ucb1' : `ucb1(c=${c})`, () => (view, out) => {
    const logT = Math.log(view.t);
    argmaxRows(view, out, (b, i) => {
      const n = view.pulls[b + i] as number;
      return n === 0 ? Number.POSITIVE_INFINITY : (view.sums[b + i] as number) / n + c * Math.sqrt((2 * logT) / n);
    });
  });
}

/**
 * Thompson sampling: one posterior draw per arm — θ_i ~ Beta(α + s_i, β + f_i) for Bernoulli arms,
 * μ_i ~ N(Σr_i / (n_i + 1), 1 / (n_i + 1)) for Gaussian ones — then pull the argmax.
 */
export function thompson(): Baseline {
  return make('thompson', ({ prior, rewards }) =>
    (rewards ?? 'bernoulli') === 'gaussian'
      ? (view, out) =>
          argmaxRows(view, out, (b, i) => {
            const n1 = (view.pulls[b + i] as number) + 1;
            return (view.sums[b + i] as number) / n1 + view.rng.normal() / Math.sqrt(n1);
          })
      : (view, out) =>
          argmaxRows(view, out, (b, i) =>
            view.rng.beta(
              prior.alpha + (view.successes[b + i] as number),
              prior.beta + (view.failures[b + i] as number),
            ),
          ),
  );
}

/** Options of `gittins`. */
export interface GittinsOptions {
  /** Discount γ of the index (default 1 − 1/horizon, an effective horizon of the trial length; the
   * paper's choice is unverified). */
  gamma?: number;
  /** Belief-tree depth of the calibration (default: γ^depth ≤ 1e-6, at most 800). */
  depth?: number;
}

/** The Gittins index policy for discounted Beta-Bernoulli arms (calibration, see gittins.ts). */
export function gittins(options: GittinsOptions = {}): Baseline {
  checkKnownKeys(options, ['gamma', 'depth'], 'options');
  if (options.gamma !== undefined) checkRange(options.gamma, 'options.gamma', Number.MIN_VALUE, 1 - 1e-9);
  if (options.depth !== undefined) checkRange(options.depth, 'options.depth', 1, 100_000);
  const name = options.gamma === undefined ? 'gittins' : `gittins(γ=${options.gamma})`;
  return make(name, ({ horizon, prior, rewards }) => {
    bernoulliOnly('gittins', rewards);
    const gamma = options.gamma ?? Math.max(0.5, 1 - 1 / horizon);
    const table = new GittinsTable(prior.alpha, prior.beta, gamma, options.depth);
    return (view, out) =>
      argmaxRows(view, out, (b, i) => table.index(view.successes[b + i] as number, view.failures[b + i] as number));
  });
}

/** Options of `bayesOptimal`. */
export interface BayesOptimalOptions {
  /** Horizon the DP plans for (default: the evaluation's pulls per trial); must cover the trial. */
  horizon?: number;
  /** The prior the DP assumes (default: the evaluation's prior). */
  prior?: BetaPrior;
}

/**
 * The exact finite-horizon Bayes-optimal policy, by dynamic programming over Beta posteriors
 * (bayes_dp.ts). Feasible for small arms × horizon: 2 arms × 25 pulls is 10k beliefs, 5 × 20 is 240k.
 */
export function bayesOptimal(options: BayesOptimalOptions = {}): Baseline {
  checkKnownKeys(options, ['horizon', 'prior'], 'options');
  if (options.horizon !== undefined) checkRange(options.horizon, 'options.horizon', 1, 360);
  if (options.horizon !== undefined && !Number.isInteger(options.horizon))
    throw new RangeError(`options.horizon: expected an integer, got ${options.horizon}`);
  if (options.prior !== undefined) checkPrior(options.prior, 'options.prior');
  return make('bayesOptimal', (setting) => {
    bernoulliOnly('bayesOptimal', setting.rewards);
    const horizon = options.horizon ?? setting.horizon;
    if (horizon < setting.horizon)
      throw new RangeError(`options.horizon: ${horizon} is shorter than the trial's ${setting.horizon} pulls`);
    const prior = options.prior ?? setting.prior;
    const dp = new BetaBernoulliDp(setting.arms, horizon, prior.alpha, prior.beta);
    let q = new Float64Array(setting.arms);
    return (view, out) => {
      if (q.length !== view.arms) q = new Float64Array(view.arms);
      const k = view.arms;
      for (let r = 0; r < view.rows; r++) {
        dp.qValues(view.successes.subarray(r * k, r * k + k), view.failures.subarray(r * k, r * k + k), q);
        let best = Number.NEGATIVE_INFINITY;
        let arg = 0;
        let ties = 0;
        for (let i = 0; i < k; i++) {
          const v = q[i] as number;
          if (v > best + 1e-12) {
            best = v;
            arg = i;
            ties = 1;
          } else if (v >= best - 1e-12 && view.rng.uniform() * ++ties < 1) arg = i;
        }
        out[r] = arg;
      }
    };
  });
}

/** Throws unless `prior` is { alpha > 0, beta > 0 }. */
export function checkPrior(prior: unknown, name: string): asserts prior is BetaPrior {
  if (typeof prior !== 'object' || prior === null) throw new TypeError(`${name}: expected { alpha, beta }`);
  checkKnownKeys(prior, ['alpha', 'beta'], name);
  const p = prior as Partial<BetaPrior>;
  checkRange(p.alpha, `${name}.alpha`, Number.MIN_VALUE, Number.MAX_VALUE);
  checkRange(p.beta, `${name}.beta`, Number.MIN_VALUE, Number.MAX_VALUE);
}
