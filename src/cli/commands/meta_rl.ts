// `outerloop meta-rl <method> --env Navigation2D-v0 --iterations N --out DIR`: meta-trains a
// meta-RL method with a progress bar and writes the run folder: config.json, metrics.jsonl (one
// row per meta-iteration), curve.svg (return before and after adaptation over meta-training),
// adaptation.svg (held-out return vs adaptation steps for the method, a random init and a
// multi-task-pretrained policy), trajectories.svg (Navigation2D/PointRobot: mean-action paths
// before and after one step on three goals), checkpoint.olck (the training state, resumable with --resume;
// `outerloop eval` does not load it: it is a meta-initialization, not an rl.policy), result.json.
// Methods come from the METHODS map below: one entry per method, so a new one is one line.
// `rl2` (memory-based, evaluated per trial beside the bandit/MDP baselines) has its own entry in
// meta_rl_rl2.ts and its own flags (--arms, --pulls, --episodes-per-trial, --steps, --trials).
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { backend } from '../../backend/index.js';
import { writeFileAtomic } from '../../io/atomic.js';
import {
  type MetaRlEvaluateOptions,
  type MetaRlEvaluation,
  type MetaRlTrainOptions,
  type MetaRlTrainResult,
  maml,
  reptile,
} from '../../metarl/index.js';
import { VERSION } from '../../version.js';
import { parseInteger, parseIntegers, parseNumber } from '../flags.js';
import { renderSvg, writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES } from '../run_dir.js';
import { runRl2Cli } from './meta_rl_rl2.js';

/** The flags every method takes. */
export interface MetaRlCliOptions {
  env?: string;
  iterations: number;
  seed: number;
  metaBatch?: number;
  episodesPerTask?: number;
  innerLr?: number;
  innerSteps?: number;
  hidden?: number[];
  maxEpisodeSteps?: number;
  outer?: 'trpo' | 'ppo';
  firstOrder?: boolean;
  outerLr?: number;
  /** reptile: the inner loop and (inner 'ppo') its settings. */
  inner?: 'vpg' | 'ppo';
  ppoEpochs?: number;
  ppoMinibatches?: number;
  ppoClip?: number;
  ppoLr?: number;
  ppoOptimizer?: 'adam' | 'sgd';
  evalTasks: number;
  evalEpisodes?: number;
  pretrainIterations: number;
  out?: string;
  resume?: string;
  json?: boolean;
  backend?: 'native' | 'js';
  threads?: number;
  /** rl2 only. */
  arms?: number;
  pulls?: number;
  rewards?: 'bernoulli' | 'gaussian';
  episodesPerTrial?: number;
  steps?: number;
  trials?: number;
  /** rl2 training settings (see `Rl2Options`). */
  lr?: number;
  lrFinal?: number;
  gamma?: number;
  gaeLambda?: number;
  entCoef?: number;
  entCoefFinal?: number;
  trialsPerUpdate?: number;
  rewardScale?: number;
  maxGradNorm?: number;
  cell?: 'gru' | 'lstm';
  /** rl2: a policy.json of an earlier rl2 run (or its run folder) to continue from. */
  init?: string;
}

/** What the command needs of a method: train from flags, evaluate with baselines. */
export interface MetaRlCliLearner {
  train(o: MetaRlTrainOptions): Promise<MetaRlTrainResult>;
  evaluate(params: Float32Array, o: MetaRlEvaluateOptions): Promise<MetaRlEvaluation>;
  /** For the plane plot of point envs (optional). */
  adapt?(params: Float32Array, task: Float32Array, o: { steps: number; seed: number }): Promise<Float32Array>;
  meanEpisode?(params: Float32Array, task: Float32Array): { obs: Float32Array; return: number };
}

export interface MetaRlCliEntry {
  summary: string;
  create(o: MetaRlCliOptions): MetaRlCliLearner;
}

const given = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Shared settings of the gradient-based methods, from the flags (unset flags keep the method's defaults). */
const common = (o: MetaRlCliOptions) =>
  given({
    env: o.env ?? 'Navigation2D-v0',
    envOptions: given({ maxEpisodeSteps: o.maxEpisodeSteps }),
    policy: given({ hidden: o.hidden }),
    metaBatch: o.metaBatch,
    episodesPerTask: o.episodesPerTask,
    innerLr: o.innerLr,
    innerSteps: o.innerSteps,
  }) as { env: string };

/** The methods, by command-line name. */
export const METHODS: Record<string, MetaRlCliEntry> = {
  maml: {
    summary: 'MAML-TRPO (or --outer ppo, ProMP-style), exact second-order meta-gradient',
    create: (o) => maml({ ...common(o), ...given({ outer: o.outer, firstOrder: o.firstOrder }) }),
  },
  reptile: {
    summary: 'Reptile with k VPG inner steps, or k PPO updates with --inner ppo (--outer-lr ε)',
    create: (o) => {
      const ppo = given({
        epochs: o.ppoEpochs,
        minibatches: o.ppoMinibatches,
        clip: o.ppoClip,
        lr: o.ppoLr,
        optimizer: o.ppoOptimizer,
      });
      // PPO flags without --inner ppo reach reptile, which names the mistake.
      const withPpo = o.inner === 'ppo' || Object.keys(ppo).length > 0;
      return reptile({ ...common(o), ...given({ outerLr: o.outerLr, inner: o.inner }), ...(withPpo ? { ppo } : {}) });
    },
  },
};

/** Envs whose observation is the agent's position in the plane and whose task is a goal there. */
const PLANE_ENVS = new Set(['Navigation2D-v0', 'PointRobot-v0']);

/**
 * trajectories.svg: the mean-action path before and after one adaptation step on three held-out
 * goals (the goals as points), drawn with vega-lite.
 */
async function writeTrajectories(
  file: string,
  learner: MetaRlCliLearner,
  params: Float32Array,
  o: MetaRlCliOptions,
  method: string,
): Promise<void> {
  const goals = [
    [0.35, 0.3],
    [-0.4, 0.1],
    [0.1, -0.42],
  ];
  const values: Record<string, number | string>[] = [];
  for (const [i, g] of goals.entries()) {
    const task = Float32Array.from(g);
    const adapted = (await learner.adapt?.(params, task, { steps: 1, seed: o.seed + i })) as Float32Array;
    for (const [when, th] of [
      ['before', params],
      ['after 1 step', adapted],
    ] as const) {
      const ep = learner.meanEpisode?.(th, task);
      if (!ep) continue;
      for (let t = 0; 2 * t + 1 < ep.obs.length; t++)
        values.push({ x: ep.obs[2 * t] as number, y: ep.obs[2 * t + 1] as number, t, path: `goal ${i + 1} ${when}` });
    }
    values.push({ x: g[0] as number, y: g[1] as number, t: 0, path: `goal ${i + 1}`, goal: 1 });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${method} on ${o.env}: mean-action paths before and after one step`,
    width: 420,
    height: 420,
    background: 'white',
    data: { values },
    layer: [
      {
        transform: [{ filter: 'datum.goal != 1' }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain: [-0.6, 0.6] } },
          y: { field: 'y', type: 'quantitative', scale: { domain: [-0.6, 0.6] } },
          order: { field: 't', type: 'quantitative' },
          color: { field: 'path', type: 'nominal', title: null },
        },
      },
      {
        transform: [{ filter: 'datum.goal == 1' }],
        mark: { type: 'point', shape: 'cross', size: 120, filled: true, color: 'black' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  } as unknown as TopLevelSpec;
  await writeFileAtomic(file, await renderSvg(spec));
}

const METHOD_NAMES = [...Object.keys(METHODS), 'rl2'];

function methodNamed(v: string): string {
  if (!METHOD_NAMES.includes(v))
    throw new InvalidArgumentError(`expected one of ${METHOD_NAMES.join(', ')}, got '${v}'`);
  return v;
}

async function runRl2(o: MetaRlCliOptions): Promise<void> {
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const env = o.env ?? 'Bandit-v0';
  if (env !== 'Bandit-v0' && env !== 'TabularMDP-v0')
    throw new InvalidArgumentError(`--env: rl2 runs on Bandit-v0 or TabularMDP-v0, got '${env}'`);
  if (!o.out) throw new InvalidArgumentError('--out: rl2 needs a run folder');
  const bar = createProgress({ total: o.steps ?? 1_000_000, unit: 'steps', enabled: o.json ? false : undefined });
  let rows: Awaited<ReturnType<typeof runRl2Cli>>;
  try {
    rows = await runRl2Cli({
      env,
      ...given({
        arms: o.arms,
        pulls: o.pulls,
        rewards: o.rewards,
        episodesPerTrial: o.episodesPerTrial,
        steps: o.steps,
        hidden: o.hidden?.[0],
        trials: o.trials,
        init: o.init,
      }),
      rl2: given({
        lr: o.lr,
        lrFinal: o.lrFinal,
        gamma: o.gamma,
        lambda: o.gaeLambda,
        entCoef: o.entCoef,
        entCoefFinal: o.entCoefFinal,
        trialsPerUpdate: o.trialsPerUpdate,
        rewardScale: o.rewardScale,
        maxGradNorm: o.maxGradNorm,
        cell: o.cell,
      }),
      seed: o.seed,
      out: o.out,
      onUpdate: (_u, steps) => bar.update(steps),
      onNote: (note) => process.stderr.write(`note: ${note}\n`),
    });
  } finally {
    bar.stop();
  }
  if (o.json) process.stdout.write(`${JSON.stringify({ method: 'rl2', env, evaluation: rows })}\n`);
  else {
    process.stdout.write(`rl2 on ${env}: total reward per trial (mean ± 95% CI)\n`);
    for (const r of rows)
      process.stdout.write(`  ${r.agent.padEnd(16)} ${r.meanReturn.toFixed(3)} ± ${r.ci95.toFixed(3)}\n`);
    process.stdout.write(`run folder: ${o.out}\n`);
  }
}

async function runMetaRl(method: string, o: MetaRlCliOptions): Promise<void> {
  if (method === 'rl2') return runRl2(o);
  o.env ??= 'Navigation2D-v0';
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const learner = (METHODS[method] as MetaRlCliEntry).create(o);
  const config = { command: `meta-rl ${method}`, version: VERSION, backend: backend.current(), ...o };
  const run = o.out ? await createRunDir(o.out, config) : undefined;
  const bar = createProgress({
    total: o.iterations,
    unit: 'iters',
    fields: [
      { key: 'pre', label: 'pre' },
      { key: 'post', label: 'post' },
    ],
    enabled: o.json ? false : undefined,
  });
  const curve: { iteration: number; preAdaptation: number; postAdaptation: number }[] = [];
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let result: MetaRlTrainResult;
  try {
    result = await learner.train({
      iterations: o.iterations,
      seed: o.seed,
      signal: controller.signal,
      ...(run ? { checkpoint: run.file(RUN_FILES.checkpoint) } : {}),
      ...(o.resume ? { resume: o.resume } : {}),
      onProgress: (p) => {
        curve.push({ iteration: p.iteration, preAdaptation: p.preReturn, postAdaptation: p.postReturn });
        run?.appendMetrics({ ...p });
        bar.update(p.iteration, { pre: p.preReturn, post: p.postReturn });
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
  }
  const ev = await learner.evaluate(result.params, {
    tasks: o.evalTasks,
    steps: [0, 1, 2, 3],
    ...(o.evalEpisodes ? { episodes: o.evalEpisodes } : {}),
    seed: o.seed + 1_000_003,
    baselines: { random: true, pretrained: o.pretrainIterations > 0 ? { iterations: o.pretrainIterations } : false },
  });
  const summary = {
    method,
    env: o.env ?? 'Navigation2D-v0',
    iterations: result.iteration,
    aborted: result.aborted,
    seconds: Number(((result.history.at(-1)?.seconds ?? 0) as number).toFixed(2)),
    evaluation: ev,
  };
  if (run) {
    await writeLineChart(run.file(RUN_FILES.curve), curve, {
      x: 'iteration',
      y: ['preAdaptation', 'postAdaptation'],
      title: `${method} on ${o.env}: return before and after adaptation`,
      yTitle: 'mean episode return',
    });
    const rows = ev.meta.map((s, i) => ({
      steps: s.steps,
      [method]: s.mean,
      randomInit: ev.random?.[i]?.mean,
      multiTaskPretrained: ev.pretrained?.[i]?.mean,
    }));
    await writeLineChart(run.file('adaptation.svg'), rows, {
      x: 'steps',
      y: [method, 'randomInit', 'multiTaskPretrained'],
      title: `${o.env}: held-out return vs adaptation steps (${ev.tasks} tasks)`,
      xTitle: 'adaptation steps',
      yTitle: 'mean episode return',
    });
    if (PLANE_ENVS.has(o.env) && learner.adapt && learner.meanEpisode)
      await writeTrajectories(run.file('trajectories.svg'), learner, result.params, o, method);
    await writeFileAtomic(run.file('result.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const fmt = (rows: { mean: number; ci95: number }[] | undefined) =>
      rows ? rows.map((s) => `${s.mean.toFixed(1)} ± ${s.ci95.toFixed(1)}`).join(' / ') : '-';
    process.stdout.write(
      `${method} on ${o.env}: ${summary.iterations} meta-iterations in ${summary.seconds} s (${backend.current()})\n` +
        `held-out return after 0 / 1 / 2 / 3 steps (${ev.tasks} tasks):\n` +
        `  ${method.padEnd(12)} ${fmt(ev.meta)}\n  random init  ${fmt(ev.random)}\n  multi-task   ${fmt(ev.pretrained)}\n` +
        (o.out ? `run folder: ${o.out}\n` : ''),
    );
  }
}

export function registerMetaRlCommand(program: Command): void {
  program
    .command('meta-rl')
    .description(
      'meta-train a meta-RL method on a task distribution (maml/reptile: Navigation2D-v0, PointRobot-v0; rl2: Bandit-v0, TabularMDP-v0)',
    )
    .addHelpText(
      'after',
      `\nMethods:\n${Object.entries(METHODS)
        .map(([k, e]) => `  ${k.padEnd(9)} ${e.summary}`)
        .join('\n')}\n  rl2       RL²: a GRU policy meta-trained by recurrent PPO over whole trials`,
    )
    .argument('<method>', `one of ${METHOD_NAMES.join(', ')}`, methodNamed)
    .option('--env <id>', 'meta-RL env (default: Navigation2D-v0; rl2: Bandit-v0)')
    .option('--iterations <n>', 'meta-iterations', parseInteger('--iterations', 0), 500)
    .option('--seed <n>', 'seed', parseInteger('--seed', 0), 0)
    .option('--meta-batch <n>', 'tasks per meta-iteration (default 20)', parseInteger('--meta-batch', 1))
    .option(
      '--episodes-per-task <n>',
      'episodes per task and inner step (default 20)',
      parseInteger('--episodes-per-task', 1),
    )
    .option('--inner-lr <x>', 'inner VPG step size (default 0.1)', parseNumber('--inner-lr'))
    .option('--inner-steps <n>', 'inner VPG steps (default: maml 1, reptile 5)', parseInteger('--inner-steps', 0))
    .option('--hidden <widths>', 'hidden widths of the policy (default 64,64)', parseIntegers('--hidden', 1))
    .option('--max-episode-steps <n>', "override of the env's episode limit", parseInteger('--max-episode-steps', 1))
    .addOption(new Option('--outer <kind>', 'maml: outer loop (default trpo)').choices(['trpo', 'ppo']))
    .option('--first-order', 'maml: first-order meta-gradient')
    .option('--outer-lr <x>', 'reptile: outer step ε (default 1)', parseNumber('--outer-lr'))
    .addOption(new Option('--inner <kind>', 'reptile: inner loop (default vpg)').choices(['vpg', 'ppo']))
    .option(
      '--ppo-epochs <n>',
      'reptile --inner ppo: epochs per inner update (default 4)',
      parseInteger('--ppo-epochs', 1),
    )
    .option(
      '--ppo-minibatches <n>',
      'reptile --inner ppo: minibatches per epoch (default 4)',
      parseInteger('--ppo-minibatches', 1),
    )
    .option('--ppo-clip <x>', 'reptile --inner ppo: ratio clip ε (default 0.2)', parseNumber('--ppo-clip'))
    .option('--ppo-lr <x>', 'reptile --inner ppo: inner optimizer lr (default 3e-3)', parseNumber('--ppo-lr'))
    .addOption(
      new Option('--ppo-optimizer <name>', 'reptile --inner ppo: inner optimizer (default adam)').choices([
        'adam',
        'sgd',
      ]),
    )
    .option('--eval-tasks <n>', 'held-out tasks of the final evaluation', parseInteger('--eval-tasks', 1), 40)
    .option(
      '--eval-episodes <n>',
      'episodes per task and adaptation step in the evaluation',
      parseInteger('--eval-episodes', 1),
    )
    .option(
      '--pretrain-iterations <n>',
      'iterations of the multi-task baseline (0: skip it)',
      parseInteger('--pretrain-iterations', 0),
      100,
    )
    .option('--arms <n>', 'rl2, Bandit-v0: arms (default 5)', parseInteger('--arms', 2))
    .option('--pulls <n>', 'rl2, Bandit-v0: pulls per episode (default 10)', parseInteger('--pulls', 1))
    .option('--rewards <kind>', 'rl2, Bandit-v0: bernoulli (default) or gaussian arms (no Gittins/DP)', (v) => {
      if (v !== 'bernoulli' && v !== 'gaussian')
        throw new InvalidArgumentError(`--rewards: expected bernoulli or gaussian, got '${v}'`);
      return v;
    })
    .option('--episodes-per-trial <n>', 'rl2: episodes of one task per trial', parseInteger('--episodes-per-trial', 1))
    .option('--steps <n>', 'rl2: env steps of training (default 1e6)', parseInteger('--steps', 1))
    .option('--trials <n>', 'rl2: evaluation trials per agent (default 2000)', parseInteger('--trials', 1))
    .option(
      '--lr <x>',
      'rl2: Adam step size, annealed linearly to --lr-final (default 1e-3)',
      parseNumber('--lr', 0, 10),
    )
    .option('--lr-final <x>', 'rl2: final step size (default 1e-4)', parseNumber('--lr-final', 0, 10))
    .option('--gamma <x>', 'rl2: discount inside a trial (default 0.99)', parseNumber('--gamma', 0, 1))
    .option('--gae-lambda <x>', 'rl2: GAE λ (default 0.3)', parseNumber('--gae-lambda', 0, 1))
    .option(
      '--ent-coef <x>',
      'rl2: entropy bonus, annealed linearly to --ent-coef-final (default 0.01)',
      parseNumber('--ent-coef', 0),
    )
    .option('--ent-coef-final <x>', 'rl2: final entropy bonus (default 0)', parseNumber('--ent-coef-final', 0))
    .option(
      '--trials-per-update <n>',
      'rl2: trials per PPO update (default 128)',
      parseInteger('--trials-per-update', 1),
    )
    .option(
      '--reward-scale <x>',
      'rl2: multiplies rewards in returns and advantages (default 1)',
      parseNumber('--reward-scale', Number.MIN_VALUE),
    )
    .option(
      '--max-grad-norm <x>',
      'rl2: global gradient-norm clip (default 0.5)',
      parseNumber('--max-grad-norm', Number.MIN_VALUE),
    )
    .addOption(new Option('--cell <kind>', 'rl2: recurrent cell (default gru)').choices(['gru', 'lstm']))
    .option('--init <file>', "rl2: continue from an earlier rl2 run's policy.json (or its run folder)")
    .option('--out <dir>', 'run folder')
    .option('--resume <checkpoint>', 'continue from a checkpoint.olck of the same method and settings')
    .option('--json', 'print one JSON object')
    .addOption(new Option('--backend <name>', 'backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', parseInteger('--threads', 1))
    .action(async (method: string, opts: MetaRlCliOptions) => {
      await runMetaRl(method, opts);
    });
}
