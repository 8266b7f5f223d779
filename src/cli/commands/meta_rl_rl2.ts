// The entry of `outerloop meta-rl rl2` (issue 15): trains RL², evaluates it beside the baselines
// and writes the run folder: config.json, metrics.jsonl (one row per PPO update), curve.svg (mean
// trial return vs env steps), results.json (total reward per trial, mean ± 95% CI, per agent)
// and, for Bandit-v0, regret.svg: cumulative regret vs pulls, regret_t = t·max_i p_i − reward so
// far (per task, averaged over trials; max_i μ_i for Gaussian arms), for RL² and every baseline
// (Gittins and the exact DP are Bernoulli-only: left out on Gaussian arms, with a note), and
// policy.json, the trained parameters, which `--init` continues from (a second training stage).
// `outerloop meta-rl` (meta_rl.ts) maps its flags onto `Rl2CliOptions`.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import * as B from '../../metarl/baselines.js';
import { evaluateTrials } from '../../metarl/evaluate.js';
import * as M from '../../metarl/mdp/baselines.js';
import { evaluateMdpTrials } from '../../metarl/mdp/evaluate.js';
import type { Rl2EnvId, Rl2EnvOptions } from '../../metarl/rl2/env_setup.js';
import { type Rl2Options, rl2 } from '../../metarl/rl2/rl2.js';
import type { BanditRewards, Baseline, BetaPrior } from '../../metarl/types.js';
import { writeLineChart } from '../plot.js';
import { createRunDir } from '../run_dir.js';

/** Options of `runRl2Cli` (the CLI's flags). */
export interface Rl2CliOptions {
  env: Rl2EnvId;
  /** Bandit-v0 */
  arms?: number;
  pulls?: number;
  prior?: BetaPrior;
  /** 'bernoulli' (default) or 'gaussian' arms (μ ~ N(0, 1), rewards N(μ, 1)). */
  rewards?: BanditRewards;
  /** TabularMDP-v0 */
  states?: number;
  actions?: number;
  horizon?: number;
  episodesPerTrial?: number;
  /** Env steps of training (default 1e6). */
  steps?: number;
  seed?: number;
  hidden?: number;
  /** Evaluation trials per agent (default 2000). */
  trials?: number;
  /** The run folder. */
  out: string;
  /**
   * Continue from an earlier run's `policy.json` (or its run folder): same env, `hidden` and cell;
   * a second training stage with other settings.
   */
  init?: string;
  /** Further RL² options (lr, gamma, …). */
  rl2?: Partial<Omit<Rl2Options, 'env' | 'envOptions' | 'episodesPerTrial' | 'hidden'>>;
  /** Called after each update (progress). */
  onUpdate?: (update: number, steps: number, meanTrialReturn: number) => void;
  /** Told what was left out and why (e.g. Gittins and the DP on Gaussian arms). */
  onNote?: (note: string) => void;
}

/** One agent's evaluation. */
export interface Rl2CliRow {
  agent: string;
  meanReturn: number;
  ci95: number;
}

// Records the mean cumulative reward before every pull (from the reward sums the agent is shown).
function recording(agent: Baseline, cum: Float64Array): Baseline {
  return {
    kind: 'metaRl.baseline',
    name: agent.name,
    bandit(setting) {
      const act = agent.bandit(setting);
      return (view, out) => {
        let s = 0;
        for (let i = 0; i < view.sums.length; i++) s += view.sums[i] as number;
        cum[view.t] = (cum[view.t] as number) + s;
        act(view, out);
      };
    },
  };
}

/** Trains RL², evaluates it beside the baselines and writes the run folder; returns the table. */
export async function runRl2Cli(o: Rl2CliOptions): Promise<Rl2CliRow[]> {
  const envOptions: Rl2EnvOptions =
    o.env === 'Bandit-v0'
      ? {
          arms: o.arms ?? 5,
          pulls: o.pulls ?? 10,
          ...(o.prior ? { prior: o.prior } : {}),
          ...(o.rewards ? { rewards: o.rewards } : {}),
        }
      : { states: o.states ?? 10, actions: o.actions ?? 5, horizon: o.horizon ?? 10 };
  const episodesPerTrial = o.episodesPerTrial ?? (o.env === 'Bandit-v0' ? 1 : 10);
  const learner = rl2({ ...(o.rl2 ?? {}), env: o.env, envOptions, episodesPerTrial, hidden: o.hidden ?? 48 });
  const steps = o.steps ?? 1_000_000;
  const seed = o.seed ?? 0;
  const trials = o.trials ?? 2000;
  const initParams = o.init === undefined ? undefined : await readInit(o.init, learner.options);
  const run = await createRunDir(o.out, {
    command: 'meta-rl rl2',
    ...learner.options,
    steps,
    seed,
    trials,
    ...(o.init === undefined ? {} : { init: o.init }),
  });
  const { policy, history } = await learner.train({
    totalSteps: steps,
    seed,
    ...(initParams === undefined ? {} : { initParams }),
    onUpdate: (u) => {
      run.appendMetrics({ ...u });
      o.onUpdate?.(u.update, u.steps, u.meanTrialReturn);
    },
  });
  await writeLineChart(
    run.file('curve.svg'),
    history.map((u) => ({ ...u })),
    {
      x: 'steps',
      y: 'meanTrialReturn',
      title: `RL² on ${o.env}`,
      xTitle: 'env steps',
      yTitle: 'mean total reward per trial',
    },
  );
  const saved: Rl2PolicyFile = {
    format: POLICY_FORMAT,
    env: o.env,
    envOptions,
    episodesPerTrial,
    hidden: learner.options.hidden,
    cell: learner.options.cell,
    params: Array.from(policy.params),
  };
  await writeFileAtomic(run.file(POLICY_FILE), `${JSON.stringify(saved)}\n`);
  const rows: Rl2CliRow[] = [];
  const notes: string[] = [];
  if (o.env === 'Bandit-v0') {
    const arms = envOptions.arms as number;
    const pulls = (envOptions.pulls as number) * episodesPerTrial;
    const gaussian = envOptions.rewards === 'gaussian';
    const prior = envOptions.prior ?? { alpha: 1, beta: 1 };
    const agents: Baseline[] = [policy, policy.greedy(), B.random(), B.greedy(), B.ucb1(), B.thompson()];
    if (gaussian) notes.push('Gaussian arms: Gittins and the exact Bayes-optimal DP are Bernoulli-only, left out');
    else {
      agents.push(B.gittins());
      if (arms === 2 ? pulls <= 60 : arms ** 2 * pulls <= 1000) agents.push(B.bayesOptimal());
      else notes.push(`bayesOptimal: the exact DP over ${arms} arms × ${pulls} pulls is too large, left out`);
    }
    const curves: Record<string, number>[] = Array.from({ length: pulls + 1 }, (_, t) => ({ pulls: t }));
    for (const a of agents) {
      const cum = new Float64Array(pulls);
      const r = await evaluateTrials(recording(a, cum), {
        env: o.env,
        envOptions,
        episodesPerTrial,
        trials,
        seed: seed + 7,
      });
      rows.push({ agent: a.name, meanReturn: r.meanReturn, ci95: r.ci95 });
      // The oracle that knows the task pulls its best arm: same tasks for every agent (same seed).
      let oracle = 0;
      for (const m of r.bestArmMean ?? []) oracle += m / trials;
      for (let t = 0; t <= pulls; t++) {
        const reward = t < pulls ? (cum[t] as number) / trials : r.meanReturn;
        (curves[t] as Record<string, number>)[a.name] = t * oracle - reward;
      }
    }
    await writeLineChart(run.file('regret.svg'), curves, {
      x: 'pulls',
      y: agents.map((a) => a.name),
      title: gaussian
        ? `Cumulative regret, ${arms} Gaussian arms, μ ~ N(0, 1)`
        : `Cumulative regret, ${arms} arms, Beta(${prior.alpha}, ${prior.beta})`,
      xTitle: 'pulls',
      yTitle: 'expected cumulative regret',
    });
  } else {
    const eo = { states: envOptions.states, actions: envOptions.actions, horizon: envOptions.horizon };
    for (const a of [policy, policy.greedy(), M.random(), M.greedy(), M.psrl(), M.beb()]) {
      const r = await evaluateMdpTrials(a, { envOptions: eo, episodesPerTrial, trials, seed: seed + 7 });
      rows.push({ agent: a.name, meanReturn: r.meanReturn, ci95: r.ci95 });
    }
  }
  for (const n of notes) o.onNote?.(n);
  await writeFileAtomic(run.file('results.json'), `${JSON.stringify({ rows, notes }, null, 2)}\n`);
  return rows;
}

/** The trained parameters a run folder keeps (`policy.json`), for `--init` and custom loops. */
export interface Rl2PolicyFile {
  format: typeof POLICY_FORMAT;
  env: Rl2EnvId;
  envOptions: Rl2EnvOptions;
  episodesPerTrial: number;
  hidden: number;
  cell: string;
  /** Flat parameters in `rl2Model`'s layout (float32 values, exact in JSON). */
  params: number[];
}

const POLICY_FORMAT = 'outerloop.rl2-policy/1';
const POLICY_FILE = 'policy.json';

// Reads --init: a policy.json (or a run folder holding one) of the same env, width and cell.
async function readInit(
  where: string,
  o: { env: Rl2EnvId; envOptions: Rl2EnvOptions; episodesPerTrial: number; hidden: number; cell: string },
): Promise<number[]> {
  let file = where;
  try {
    if ((await stat(where)).isDirectory()) file = path.join(where, POLICY_FILE);
  } catch {
    throw new RangeError(`--init: no such file or folder: ${where}`);
  }
  let p: Partial<Rl2PolicyFile>;
  try {
    p = JSON.parse(await readFile(file, 'utf8')) as Partial<Rl2PolicyFile>;
  } catch (e) {
    throw new RangeError(`--init: ${file} is not a readable rl2 policy.json (${(e as Error).message})`);
  }
  if (typeof p !== 'object' || p === null || p.format !== POLICY_FORMAT || !Array.isArray(p.params))
    throw new RangeError(`--init: ${file} is not an rl2 policy.json (expected format '${POLICY_FORMAT}')`);
  const same = (k: 'env' | 'episodesPerTrial' | 'hidden' | 'cell'): void => {
    if (p[k] !== o[k]) throw new RangeError(`--init: ${file} was trained with ${k} ${p[k]}, this run has ${o[k]}`);
  };
  same('env');
  same('hidden');
  same('cell');
  same('episodesPerTrial');
  if (JSON.stringify(p.envOptions) !== JSON.stringify(o.envOptions))
    throw new RangeError(
      `--init: ${file} was trained on ${JSON.stringify(p.envOptions)}, this run is ${JSON.stringify(o.envOptions)}`,
    );
  return p.params;
}
