// DvD-ES (Parker-Holder et al. 2020, "Effective Diversity in Population Based RL"; the ES form of
// jparkerholder/DvD_ES, reference §6.1): M agents trained together; the diversity of the
// population is det K of their behavioural embeddings' RBF kernel (embeddings standardized per
// dimension across agents, clipped to [−2, 2]). Each generation draws n directions per agent;
// member (j, ±, a) is θ_a ± σε_ja. For each (j, ±) the determinant is that of the population in
// which every agent uses its own j-th perturbation; determinants are z-scored over all (j, ±),
// rewards z-scored per agent; score = (1 − λ)·reward + λ·det; g_a = Σ_j (score⁺ − score⁻) ε_ja / n;
// the concatenated g is rescaled g ← g/(‖g‖/N + 1e-8) (N = parameters per agent) and Adam ascends
// it. λ is fixed, or with `lambda: 'adaptive'` chosen each generation by the authors' Thompson-
// sampling bandit (bandits.py, reference §6.1; see `dvdBanditPosterior` and `dvdBanditArm`).
// Members are laid out ((j·2 + s)·M + a); embeddings come from `options.embedding(x)` or tell's
// fourth argument [popSize × e].
import { beta } from '../../meta/tasks/sampling.js';
import { adam } from '../../optim/rules/adam.js';
import { fold, type Key, normal, uniform } from '../../random/index.js';
import { checkInteger, checkRange } from '../../util/check.js';
import { checkOptions, commonOptions } from '../common.js';
import { dvdDeterminant, standardizeEmbeddings } from '../dvd_kernel.js';
import { defineStrategy } from '../strategy.js';
import type { CommonOptions, Fitness, MeanOptimizer, Population, Strategy, StrategyState } from '../types.js';

/** Options of DvD-ES: agents, directions, step sizes and the diversity weight λ. */
export interface DvdOptions extends Omit<CommonOptions, 'popSize'> {
  /** Agents M, default 5. */
  agents?: number;
  /** Antithetic directions per agent n, default 20 (popSize = 2·n·M). */
  directions?: number;
  /** Perturbation scale σ, default 0.1. */
  sigma?: number;
  /** Adam learning rate, default 0.05. */
  lr?: number;
  /**
   * Weight λ of the diversity term in [0, 1], default 0.5; or 'adaptive': each generation's λ is
   * an arm of `lambdaArms` picked by the authors' Thompson-sampling bandit on the population's
   * reward improvements.
   */
  lambda?: number | 'adaptive';
  /** The bandit's arms for `lambda: 'adaptive'`, default [0, 0.5] (the authors'). */
  lambdaArms?: readonly number[];
  /** Spread of the agents' start around x0, default 0.1 (identical agents have det K = 0). */
  initSigma?: number;
  /** Behavioural embedding of a member (e.g. its actions on shared states); else pass embeddings to tell. */
  embedding?: (x: Float32Array) => ArrayLike<number>;
}

export interface DvdState extends StrategyState {
  /** Agents' parameters [M × d]. */
  readonly agents: Float32Array;
  readonly optState: unknown;
  /** Mean reward of each agent in the last generation. */
  readonly agentRewards: Float64Array;
  /** det K of the agents' unperturbed-population proxy: mean over the last generation's (j, ±). */
  readonly diversity: number;
  /** λ of the last generation told. */
  readonly lambda: number;
  /**
   * The adaptive-λ bandit's history: the arm each generation used and the population's mean reward
   * after it (empty for a fixed λ).
   */
  readonly bandit: { readonly choices: readonly number[]; readonly rewards: readonly number[] };
}

export interface DvdPopulation extends Population {
  /** ε [n × M × d]. */
  readonly eps: Float32Array;
  /** λ this generation uses, and its arm index (−1 for a fixed λ). */
  readonly lambda: number;
  readonly arm: number;
}

/** Rows the bandit looks back over, and the generations before Thompson sampling starts (bandits.py's window, prev). */
const BANDIT_WINDOW = 50;
const BANDIT_PREV = 5;

/**
 * The Beta posterior of each arm of DvD's λ bandit (jparkerholder/DvD_ES bandits.py,
 * `update_dists`). Generation i used arm choices[i] and ended with mean population reward
 * rewards[i]. Its feedback is sign(R_i − max(R_{i−6}, …, R_{i−2})) mapped to {0, ½, 1} — the
 * authors' rolling max of five shifted by one over the reward list that starts with a dummy, whose
 * first complete row they drop — for i ≥ 6; over the last 50 such rows, a_k = 1 + Σ feedback and
 * b_k = 1 + count − Σ feedback over the rows that chose arm k.
 */
export function dvdBanditPosterior(
  choices: readonly number[],
  rewards: readonly number[],
  arms: number,
): { a: number[]; b: number[] } {
  const a = new Array<number>(arms).fill(1);
  const b = new Array<number>(arms).fill(1);
  const t = Math.min(choices.length, rewards.length);
  const first = Math.max(BANDIT_PREV + 1, t - BANDIT_WINDOW);
  for (let i = first; i < t; i++) {
    let prevMax = Number.NEGATIVE_INFINITY;
    for (let j = i - 6; j <= i - 2; j++) prevMax = Math.max(prevMax, rewards[j] as number);
    const bern = (Math.sign((rewards[i] as number) - prevMax) + 1) / 2;
    const k = choices[i] as number;
    a[k] = (a[k] as number) + bern;
    b[k] = (b[k] as number) + 1 - bern;
  }
  return { a, b };
}

/**
 * The arm of generation `choices.length` (bandits.py's `sample`): arm 0 in generation 0 (the
 * authors' initial arm), a uniform arm while at most 5 generations have run, then Thompson
 * sampling — θ_k ~ Beta(a_k, b_k) from fold(key, k), the first largest wins.
 */
export function dvdBanditArm(key: Key, choices: readonly number[], rewards: readonly number[], arms: number): number {
  const t = choices.length;
  if (t === 0) return 0;
  if (t <= BANDIT_PREV) return Math.min(arms - 1, Math.floor((uniform(key, 1)[0] as number) * arms));
  const { a, b } = dvdBanditPosterior(choices, rewards, arms);
  let best = 0;
  let top = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < arms; k++) {
    const theta = beta(fold(key, k), a[k] as number, b[k] as number);
    if (theta > top) {
      top = theta;
      best = k;
    }
  }
  return best;
}

// The bandit's draws come from the generation's key on a stream of their own.
const BANDIT_STREAM = 0x6c616d62; // 'lamb'

export interface DvdStrategy extends Strategy<DvdState, DvdPopulation> {
  tell(state: DvdState, pop: DvdPopulation, fitness: Fitness, embeddings?: Float32Array): DvdState;
}

const KEYS = ['agents', 'directions', 'sigma', 'lr', 'lambda', 'lambdaArms', 'initSigma', 'embedding'] as const;

function zScore(v: Float64Array): Float64Array {
  const n = v.length;
  let m = 0;
  for (const x of v) m += x;
  m /= n;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  const sd = Math.sqrt(s / n);
  return v.map((x) => (sd > 0 ? (x - m) / sd : 0));
}

/** DvD-ES with explicit state. */
export function dvd(options: DvdOptions = {}): DvdStrategy {
  const name = 'dvd';
  checkOptions(options, KEYS, name);
  if ('popSize' in options) throw new TypeError(`${name}: popSize: give agents and directions instead`);
  const common = commonOptions(options, name);
  const M = options.agents ?? 5;
  checkInteger(M, `${name}: agents`, 2, 4096);
  const n = options.directions ?? 20;
  checkInteger(n, `${name}: directions`, 1, 1 << 20);
  const sigma = options.sigma ?? 0.1;
  checkRange(sigma, `${name}: sigma`, Number.MIN_VALUE, Number.MAX_VALUE);
  const lr = options.lr ?? 0.05;
  checkRange(lr, `${name}: lr`, 0, Number.MAX_VALUE);
  const adaptive = options.lambda === 'adaptive';
  const lambda = adaptive ? 0 : (options.lambda ?? 0.5);
  if (!adaptive) checkRange(lambda as number, `${name}: lambda`, 0, 1);
  const arms = options.lambdaArms ?? [0, 0.5];
  if (!Array.isArray(arms) || arms.length < 1)
    throw new TypeError(`${name}: lambdaArms: expected a non-empty array of weights in [0, 1]`);
  arms.forEach((v, i) => {
    checkRange(v, `${name}: lambdaArms[${i}]`, 0, 1);
  });
  if (options.lambdaArms !== undefined && !adaptive)
    throw new TypeError(`${name}: lambdaArms: only with lambda: 'adaptive'`);
  const initSigma = options.initSigma ?? 0.1;
  checkRange(initSigma, `${name}: initSigma`, 0, Number.MAX_VALUE);
  if (options.embedding !== undefined && typeof options.embedding !== 'function')
    throw new TypeError(`${name}: embedding: expected a function (x) => embedding`);
  const optimizer: MeanOptimizer = adam({ lr });
  let pending: Float32Array | undefined;

  const base = defineStrategy<DvdState, DvdPopulation>({
    name,
    common,
    popSize: 2 * n * M,
    dim: (state) => state.agents.length / M,
    init(key, x0) {
      const d = x0.length;
      const z = normal(fold(key, 0), M * d);
      const agents = new Float32Array(M * d);
      for (let a = 0; a < M; a++)
        for (let j = 0; j < d; j++) agents[a * d + j] = (x0[j] as number) + initSigma * (z[a * d + j] as number);
      return {
        agents,
        optState: optimizer.init(agents),
        agentRewards: new Float64Array(M),
        diversity: 0,
        lambda: adaptive ? (arms[0] as number) : (lambda as number),
        bandit: { choices: [], rewards: [] },
      };
    },
    ask({ state, key, popSize, dim }) {
      const eps = normal(key, n * M * dim);
      const x = new Float32Array(popSize * dim);
      for (let j = 0; j < n; j++)
        for (let s = 0; s < 2; s++)
          for (let a = 0; a < M; a++) {
            const row = ((j * 2 + s) * M + a) * dim;
            const sign = s === 0 ? sigma : -sigma;
            for (let k = 0; k < dim; k++)
              x[row + k] = (state.agents[a * dim + k] as number) + sign * (eps[(j * M + a) * dim + k] as number);
          }
      const arm = adaptive
        ? dvdBanditArm(fold(key, BANDIT_STREAM), state.bandit.choices, state.bandit.rewards, arms.length)
        : -1;
      return { x, popSize, dim, eps, arm, lambda: adaptive ? (arms[arm] as number) : (lambda as number) };
    },
    missing: ({ pop }) =>
      !(pop.eps instanceof Float32Array) ? 'eps' : typeof pop.lambda !== 'number' ? 'lambda' : undefined,
    tell({ state, pop, popSize, dim }, losses) {
      let emb = pending;
      if (emb === undefined) {
        if (!options.embedding) throw new TypeError(`${name}: tell: expected embeddings (or an embedding option)`);
        const first = options.embedding(pop.x.subarray(0, dim));
        const e = first.length;
        emb = new Float32Array(popSize * e);
        for (let i = 0; i < popSize; i++) emb.set(options.embedding(pop.x.subarray(i * dim, (i + 1) * dim)), i * e);
      } else if (emb.length === 0 || emb.length % popSize !== 0)
        throw new RangeError(`${name}: embeddings: expected popSize·e values, got ${emb.length}`);
      const e = emb.length / popSize;
      // Determinant of each (j, ±) population, z-scored over all 2n of them.
      const dets = new Float64Array(2 * n);
      for (let js = 0; js < 2 * n; js++) {
        const block = emb.subarray(js * M * e, (js + 1) * M * e);
        dets[js] = dvdDeterminant(standardizeEmbeddings(block, M), M).det;
      }
      const detZ = zScore(dets);
      // Rewards (−loss; a non-finite loss counts as the agent's worst finite reward) z-scored per agent.
      const score = new Float64Array(popSize);
      const agentRewards = new Float64Array(M);
      for (let a = 0; a < M; a++) {
        const r = new Float64Array(2 * n);
        let worst = Number.POSITIVE_INFINITY;
        for (let js = 0; js < 2 * n; js++) {
          const v = -(losses[js * M + a] as number);
          r[js] = v;
          if (Number.isFinite(v)) worst = Math.min(worst, v);
        }
        for (let js = 0; js < 2 * n; js++) if (!Number.isFinite(r[js] as number)) r[js] = worst;
        agentRewards[a] = r.reduce((p, q) => p + q, 0) / (2 * n);
        const rz = zScore(r);
        for (let js = 0; js < 2 * n; js++)
          score[js * M + a] = (1 - pop.lambda) * (rz[js] as number) + pop.lambda * (detZ[js] as number);
      }
      const g = new Float32Array(M * dim);
      for (let a = 0; a < M; a++)
        for (let j = 0; j < n; j++) {
          const w = ((score[j * 2 * M + a] as number) - (score[(j * 2 + 1) * M + a] as number)) / n;
          for (let k = 0; k < dim; k++)
            g[a * dim + k] = (g[a * dim + k] as number) + w * (pop.eps[(j * M + a) * dim + k] as number);
        }
      let norm = 0;
      for (const v of g) norm += v * v;
      const scale = 1 / (Math.sqrt(norm) / dim + 1e-8);
      // Adam descends: hand it the negated ascent direction.
      for (let i = 0; i < g.length; i++) g[i] = -(g[i] as number) * scale;
      const agents = state.agents;
      optimizer.step(agents, g, state.optState);
      // The bandit's reward signal: the population's mean reward this generation.
      const bandit = adaptive
        ? {
            choices: [...state.bandit.choices, pop.arm],
            rewards: [...state.bandit.rewards, agentRewards.reduce((p, q) => p + q, 0) / M],
          }
        : state.bandit;
      return {
        agents,
        agentRewards,
        diversity: dets.reduce((p, q) => p + q, 0) / (2 * n),
        lambda: pop.lambda,
        bandit,
      };
    },
    center(state) {
      const d = state.agents.length / M;
      let best = 0;
      for (let a = 1; a < M; a++)
        if ((state.agentRewards[a] as number) > (state.agentRewards[best] as number)) best = a;
      return state.agents.slice(best * d, (best + 1) * d);
    },
  });
  const baseTell = base.tell;
  const strategy = base as DvdStrategy;
  strategy.tell = (state, pop, fitness, embeddings) => {
    pending = embeddings;
    try {
      return baseTell(state, pop, fitness);
    } finally {
      pending = undefined;
    }
  };
  return strategy;
}
