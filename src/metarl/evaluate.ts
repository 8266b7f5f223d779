// metaRl.evaluateTrials: total reward per trial of a baseline on freshly sampled tasks, played on
// the real env (its reward draws), with a normal-approximation 95% interval over trials.
import { make } from '../envs/index.js';
import { bits, fold, key as makeKey, split } from '../random/index.js';
import { checkInteger, checkKnownKeys } from '../util/check.js';
import { checkPrior } from './baselines.js';
import { Rng } from './rng.js';
import type { BanditRewards, BanditView, Baseline, BetaPrior } from './types.js';

/** Options of the env a trial runs in. */
export interface TrialEnvOptions {
  /** Bandit-v0: arms k (default 5). */
  arms?: number;
  /** Bandit-v0: pulls per episode (default 10). */
  pulls?: number;
  /** Bandit-v0: p_i ~ Beta(α, β) per task (default: the env's own U[0, 1] = Beta(1, 1), drawn by the env). */
  prior?: BetaPrior;
  /** Bandit-v0: 'bernoulli' (default) or 'gaussian' arms (μ ~ N(0, 1), rewards N(μ, 1); no `prior`). */
  rewards?: BanditRewards;
}

/** Options of `evaluateTrials`. */
export interface EvaluateTrialsOptions {
  /** The env id; only 'Bandit-v0' so far. */
  env: string;
  envOptions?: TrialEnvOptions;
  /** Episodes per trial in one task (default 1: a Bandit-v0 episode already is a trial of `pulls` pulls). */
  episodesPerTrial?: number;
  /** Number of trials, each on a freshly sampled task (default 1000). */
  trials?: number;
  /** Seed of tasks, rewards and the agent's own draws (default 0). */
  seed?: number;
}

/** The result of `evaluateTrials`. */
export interface EvaluateTrialsResult {
  /** Mean total reward per trial. */
  meanReturn: number;
  /** Half-width of the 95% normal-approximation interval of the mean (1.96 · sd / √trials). */
  ci95: number;
  /** Total reward of every trial. */
  perTrial: Float64Array;
  /**
   * Every trial's oracle reward per pull: the mean of its task's best arm (max_i p_i for Bernoulli
   * arms, max_i μ_i for Gaussian ones), known to an agent told the task. Expected regret after t
   * pulls = t · mean(bestArmMean) − mean reward so far; per trial, pulls · bestArmMean − perTrial.
   * Set by `evaluateTrials` (bandits); absent from `evaluateMdpTrials`.
   */
  bestArmMean?: Float64Array;
}

const BATCH = 1024;

/**
 * Plays `trials` trials of the baseline, each on a new task, and returns the total reward per trial.
 *
 * ```ts
 * const r = await metaRl.evaluateTrials(metaRl.baselines.bayesOptimal(), {
 *   env: 'Bandit-v0', envOptions: { arms: 2, pulls: 25, prior: { alpha: 1, beta: 1 } }, trials: 2000, seed: 0 });
 * ```
 */
export async function evaluateTrials(agent: Baseline, options: EvaluateTrialsOptions): Promise<EvaluateTrialsResult> {
  if (typeof agent !== 'object' || agent === null || (agent as Baseline).kind !== 'metaRl.baseline')
    throw new TypeError(
      'agent: expected a metaRl.baselines.* baseline or an RL² policy (metaRl.rl2(…).train(…).policy)',
    );
  checkKnownKeys(options, ['env', 'envOptions', 'episodesPerTrial', 'trials', 'seed'], 'options');
  if (options.env !== 'Bandit-v0')
    throw new RangeError(`options.env: only 'Bandit-v0' is supported, got ${String(options.env)}`);
  const eo = options.envOptions ?? {};
  checkKnownKeys(eo, ['arms', 'pulls', 'prior', 'rewards'], 'options.envOptions');
  const rewards = eo.rewards ?? 'bernoulli';
  if (rewards !== 'bernoulli' && rewards !== 'gaussian')
    throw new RangeError(`options.envOptions.rewards: expected 'bernoulli' or 'gaussian', got ${String(rewards)}`);
  if (rewards === 'gaussian' && eo.prior !== undefined)
    throw new RangeError('options.envOptions.prior: a Beta prior applies to Bernoulli arms only');
  const arms = eo.arms ?? 5;
  const pulls = eo.pulls ?? 10;
  checkInteger(arms, 'options.envOptions.arms', 2, 1024);
  checkInteger(pulls, 'options.envOptions.pulls', 1, 2 ** 20);
  if (eo.prior !== undefined) checkPrior(eo.prior, 'options.envOptions.prior');
  const episodes = options.episodesPerTrial ?? 1;
  checkInteger(episodes, 'options.episodesPerTrial', 1, 2 ** 20);
  const trials = options.trials ?? 1000;
  checkInteger(trials, 'options.trials', 1, 2 ** 26);
  const seed = options.seed ?? 0;
  checkInteger(seed, 'options.seed');

  const prior = eo.prior ?? { alpha: 1, beta: 1 };
  const horizon = pulls * episodes;
  const act = agent.bandit({ arms, horizon, prior, rewards });
  const [taskKey, envKey, agentKey] = split(makeKey(seed), 3) as [Uint32Array, Uint32Array, Uint32Array];
  const rng = new Rng(agentKey);
  const perTrial = new Float64Array(trials);
  const bestArmMean = new Float64Array(trials);

  for (let b = 0, start = 0; start < trials; b++, start += BATCH) {
    const rows = Math.min(BATCH, trials - start);
    const env = make('Bandit-v0', {
      arms,
      pulls,
      rewards,
      numEnvs: rows,
      seed: bits(fold(envKey, b), 1)[0] as number,
    });
    try {
      let tasks: Float32Array;
      if (eo.prior !== undefined) {
        const draw = new Rng(fold(taskKey, b));
        tasks = new Float32Array(rows * arms);
        for (let j = 0; j < tasks.length; j++) tasks[j] = draw.beta(prior.alpha, prior.beta);
      } else {
        tasks = env.sampleTasks(fold(taskKey, b), rows);
      }
      env.setTasks(tasks);
      // Both arm kinds' tasks are the arm means (Bandit-v0's task layout).
      for (let r = 0; r < rows; r++) {
        let m = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < arms; i++) m = Math.max(m, tasks[r * arms + i] as number);
        bestArmMean[start + r] = m;
      }
      const successes = new Int32Array(rows * arms);
      const failures = new Int32Array(rows * arms);
      const pullCounts = new Int32Array(rows * arms);
      const sums = new Float64Array(rows * arms);
      const lastAction = new Int32Array(rows).fill(-1);
      const lastReward = new Float64Array(rows);
      const actions = new Int32Array(rows);
      const view: { -readonly [K in keyof BanditView]: BanditView[K] } = {
        t: 0,
        rows,
        arms,
        successes,
        failures,
        pulls: pullCounts,
        sums,
        lastAction,
        lastReward,
        rng,
      };
      // Rows run in lockstep: every episode has exactly `pulls` steps and the task sticks across
      // autoresets, so a trial is `horizon` consecutive steps of the same row.
      for (let t = 0; t < horizon; t++) {
        view.t = t;
        act(view, actions);
        const { reward } = env.step(actions);
        for (let r = 0; r < rows; r++) {
          const j = r * arms + (actions[r] as number);
          const x = reward[r] as number;
          if (x > 0) successes[j] = (successes[j] as number) + 1;
          else failures[j] = (failures[j] as number) + 1;
          pullCounts[j] = (pullCounts[j] as number) + 1;
          sums[j] = (sums[j] as number) + x;
          lastAction[r] = actions[r] as number;
          lastReward[r] = x;
          perTrial[start + r] = (perTrial[start + r] as number) + x;
        }
      }
    } finally {
      env.close();
    }
  }
  let mean = 0;
  for (const x of perTrial) mean += x;
  mean /= trials;
  let ss = 0;
  for (const x of perTrial) ss += (x - mean) ** 2;
  const sd = trials > 1 ? Math.sqrt(ss / (trials - 1)) : 0;
  return { meanReturn: mean, ci95: (1.96 * sd) / Math.sqrt(trials), perTrial, bestArmMean };
}
