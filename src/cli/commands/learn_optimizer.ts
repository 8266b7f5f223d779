// `outerloop learn optimizer --tasks quadratic --estimator pes --horizon 50 --truncation 10 ...`:
// meta-trains a learned.mlpOptimizer with learned.train and writes the run folder (config.json,
// metrics.jsonl with one row per outer iteration, curve.svg of the meta-loss, checkpoint.olck every
// --checkpoint-every iterations and at the end). `--resume DIR` continues a run from its checkpoint
// with the run's own configuration and gives the same θ, bit for bit, as the uninterrupted run
// (`--iterations` may be raised to train longer). Ctrl-C stops after the iteration under way, after
// writing a checkpoint. The lead's `learn` group calls registerLearnOptimizerCommand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { OuterloopError } from '../../errors.js';
import { loadCheckpoint, saveCheckpoint } from '../../io/checkpoint.js';
import { decodeTrainCheckpoint, encodeTrainCheckpoint } from '../../learned/checkpoint_io.js';
import type { EstimatorName, MetaObjective } from '../../learned/estimators.js';
import { mlpOptimizer } from '../../learned/mlp_optimizer.js';
import { mlpClassification, mlpRegression, quadratic } from '../../learned/tasks/index.js';
import { type TrainCheckpoint, type TrainHistoryEntry, train } from '../../learned/train.js';
import type { LearnedOptimizer, TaskFamily } from '../../learned/types.js';
import { adam } from '../../optim/index.js';
import { VERSION } from '../../version.js';
import { parseChoice, parseInteger, parseIntegers, parseNumber } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES, readRunConfig, reopenRunDir } from '../run_dir.js';

const TASKS = ['quadratic', 'mlp-regression', 'mlp-classification'] as const;
const ESTIMATORS = ['pes', 'es', 'tes'] as const;
const ESTIMATOR_OF: Record<(typeof ESTIMATORS)[number], EstimatorName> = { pes: 'pes', es: 'es', tes: 'truncatedEs' };

/** The settings a run is defined by (config.json holds them; a resume reuses them). */
export interface LearnOptimizerConfig {
  tasks: (typeof TASKS)[number];
  estimator: (typeof ESTIMATORS)[number];
  horizon: number;
  truncation: number;
  population: number;
  iterations: number;
  hidden: number[];
  stepMult: number;
  sigma: number;
  lr: number;
  objective: MetaObjective;
  /** Quadratic dimension, or hidden width of the MLP students. */
  dim: number;
  seed: number;
  checkpointEvery: number;
}

interface CliOptions extends Partial<LearnOptimizerConfig> {
  out?: string;
  resume?: string;
  json?: boolean;
}

/** What `learn optimizer --json` prints. */
export interface LearnOptimizerSummary {
  run: string;
  iterations: number;
  resumedFrom: number | null;
  /** Mean meta-loss over the first and the last 10% of the iterations run in total. */
  metaLossStart: number;
  metaLossEnd: number;
  seconds: number;
  checkpoint: string;
  stopped: boolean;
}

const DEFAULTS: Omit<LearnOptimizerConfig, 'iterations'> = {
  tasks: 'quadratic',
  estimator: 'pes',
  horizon: 50,
  truncation: 10,
  population: 64,
  hidden: [32, 32],
  stepMult: 0.01,
  sigma: 0.01,
  lr: 3e-3,
  objective: 'mean',
  dim: 8,
  seed: 0,
  checkpointEvery: 50,
};

/** The learned optimizer and task family a config describes. */
export function buildLearnOptimizer(c: LearnOptimizerConfig): { lo: LearnedOptimizer; family: TaskFamily } {
  if (c.tasks === 'quadratic')
    return {
      lo: mlpOptimizer({ hidden: c.hidden, stepMult: c.stepMult }),
      family: quadratic({ dim: c.dim, minEig: 1e-2, maxEig: 10, noise: 0.1 }),
    };
  const family =
    c.tasks === 'mlp-regression'
      ? mlpRegression({ width: c.dim, depth: 2, inputs: 8, points: 64 })
      : mlpClassification({ width: c.dim, depth: 2, inputs: 8, classes: 4, points: 64 });
  return { lo: mlpOptimizer({ hidden: c.hidden, stepMult: c.stepMult, layout: family.layout }), family };
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

async function runLearnOptimizer(o: CliOptions): Promise<void> {
  let config: LearnOptimizerConfig;
  let resume: TrainCheckpoint | undefined;
  let dir: string;
  const ckptFile = (d: string) => path.join(d, RUN_FILES.checkpoint);
  if (o.resume !== undefined) {
    if (o.out !== undefined)
      throw new InvalidArgumentError('--out: not with --resume (the run continues in its folder)');
    dir = o.resume;
    const saved = (await readRunConfig(dir)) as Partial<LearnOptimizerConfig> & { command?: string };
    if (saved.tasks === undefined || saved.horizon === undefined)
      throw new OuterloopError(`--resume: ${dir} is not a learn optimizer run`);
    for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const given = o[k];
      if (given !== undefined && JSON.stringify(given) !== JSON.stringify(saved[k]))
        throw new InvalidArgumentError(
          `--resume: ${k} ${JSON.stringify(given)} differs from the run's ${JSON.stringify(saved[k])}; a resumed run keeps its configuration (only --iterations may change)`,
        );
    }
    config = { ...(saved as LearnOptimizerConfig), iterations: o.iterations ?? (saved.iterations as number) };
    if (!fs.existsSync(ckptFile(dir))) throw new OuterloopError(`--resume: ${dir} has no ${RUN_FILES.checkpoint}`);
    resume = decodeTrainCheckpoint(await loadCheckpoint(ckptFile(dir)));
    if (resume.iteration > config.iterations)
      throw new InvalidArgumentError(
        `--iterations: the checkpoint is at iteration ${resume.iteration}, more than ${config.iterations}`,
      );
  } else {
    const given = Object.fromEntries(Object.entries(o).filter(([k, v]) => k in DEFAULTS && v !== undefined));
    config = { ...DEFAULTS, ...given, iterations: o.iterations ?? 200 } as LearnOptimizerConfig;
    dir = o.out ?? path.join('runs', `learn-optimizer-${config.tasks}-${config.estimator}-s${config.seed}`);
  }
  if (config.estimator !== 'es' && config.horizon % config.truncation !== 0)
    throw new InvalidArgumentError(`--truncation: must divide --horizon (${config.horizon}), got ${config.truncation}`);
  if (config.population % 2 !== 0)
    throw new InvalidArgumentError(
      `--population: expected an even number (antithetic pairs), got ${config.population}`,
    );
  // bad settings fail here, before any file is written
  const { lo, family } = buildLearnOptimizer(config);
  const record = { ...config, optimizer: lo.name, family: family.name, version: VERSION };
  const run = resume
    ? await reopenRunDir(dir, { ...record, command: process.argv.slice(2).join(' ') }, resume.iteration)
    : await createRunDir(dir, { ...record, command: process.argv.slice(2).join(' ') });
  const bar = createProgress({
    total: config.iterations,
    unit: 'iters',
    fields: [{ key: 'meta', label: 'meta-loss', digits: 4 }],
    enabled: o.json ? false : undefined,
  });
  let stopped = false;
  const onSigint = () => {
    if (stopped) process.exit(130); // a second Ctrl-C: stop now
    stopped = true;
  };
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  let last: TrainCheckpoint | undefined = resume;
  const save = async (c: TrainCheckpoint) => {
    last = c;
    await saveCheckpoint(ckptFile(dir), encodeTrainCheckpoint(c, { optimizer: lo.name, family: family.name }));
  };
  // a stop request ends the run at the next iteration: train is given that many iterations
  class Stop extends Error {}
  let history: TrainHistoryEntry[] = resume ? resume.history.slice() : [];
  try {
    const result = await train({
      optimizer: lo,
      tasks: family,
      estimator: ESTIMATOR_OF[config.estimator],
      objective: config.objective,
      iterations: config.iterations,
      horizon: config.horizon,
      truncation: config.truncation,
      population: config.population,
      sigma: config.sigma,
      outerOptimizer: adam({ lr: config.lr }),
      seed: config.seed,
      checkpointEvery: 1,
      onCheckpoint: async (c) => {
        const e = c.history[c.history.length - 1] as TrainHistoryEntry;
        run.appendMetrics({ update: c.iteration, ...e, seconds: (performance.now() - t0) / 1000 });
        bar.update(c.iteration, { meta: e.metaLoss });
        if (c.iteration % config.checkpointEvery === 0 || c.iteration === config.iterations || stopped) await save(c);
        if (stopped) throw new Stop();
      },
      ...(resume ? { resume } : {}),
    });
    history = result.history;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    history = (last as TrainCheckpoint | undefined)?.history ?? history;
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
  }
  const rows = history.map((h, i) => ({
    iteration: h.iteration + 1,
    metaLoss: h.metaLoss,
    smoothed: mean(history.slice(Math.max(0, i - 19), i + 1).map((x) => x.metaLoss)),
  }));
  await writeLineChart(run.file(RUN_FILES.curve), rows, {
    x: 'iteration',
    y: ['metaLoss', 'smoothed'],
    title: `${lo.name} on ${family.name}, ${config.estimator} (T ${config.horizon}, K ${config.truncation}, P ${config.population}), seed ${config.seed}`,
    yTitle: config.objective === 'final' ? 'meta-loss (log loss at T)' : 'meta-loss (mean log loss)',
  });
  const tenth = Math.max(1, Math.floor(history.length / 10));
  const summary: LearnOptimizerSummary = {
    run: dir,
    iterations: history.length,
    resumedFrom: resume ? resume.iteration : null,
    metaLossStart: mean(history.slice(0, tenth).map((h) => h.metaLoss)),
    metaLossEnd: mean(history.slice(-tenth).map((h) => h.metaLoss)),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    checkpoint: ckptFile(dir),
    stopped,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${lo.name} on ${family.name}: meta-loss ${summary.metaLossStart.toFixed(4)} → ${summary.metaLossEnd.toFixed(4)} ` +
        `after ${summary.iterations} iterations in ${summary.seconds} s${stopped ? ', stopped by Ctrl-C' : ''}\n` +
        `run folder ${dir} (config.json, metrics.jsonl, curve.svg, ${RUN_FILES.checkpoint})\n`,
    );
}

/** Adds `optimizer` to the `learn` command group: meta-train a learned optimizer (see the file comment). */
export function registerLearnOptimizerCommand(learn: Command): void {
  learn
    .command('optimizer')
    .description('meta-train a per-parameter MLP learned optimizer (small_fc_lopt inputs) with PES, ES or truncated ES')
    .addOption(
      new Option('--tasks <family>', `task family: ${TASKS.join(' | ')}`).argParser(parseChoice('--tasks', TASKS)),
    )
    .addOption(
      new Option('--estimator <name>', 'pes (persistent ES) | es (full unrolls) | tes (truncated ES)').argParser(
        parseChoice('--estimator', ESTIMATORS),
      ),
    )
    .addOption(
      new Option('--horizon <T>', 'inner steps of one training run (default 50)').argParser(
        parseInteger('--horizon', 1),
      ),
    )
    .addOption(
      new Option('--truncation <K>', 'steps per truncated segment; divides T (default 10)').argParser(
        parseInteger('--truncation', 1),
      ),
    )
    .addOption(
      new Option('--population <P>', 'particles per estimate, even (default 64)').argParser(
        parseInteger('--population', 2),
      ),
    )
    .addOption(
      new Option('--iterations <N>', 'outer iterations (default 200)').argParser(parseInteger('--iterations', 0)),
    )
    .addOption(
      new Option('--hidden <widths>', 'hidden layers of the learned optimizer (default 32,32)').argParser(
        parseIntegers('--hidden', 1, 4096),
      ),
    )
    .addOption(new Option('--step-mult <x>', 'step scale (default 0.01)').argParser(parseNumber('--step-mult', 0, 1e3)))
    .addOption(
      new Option('--sigma <σ>', 'ES perturbation std (default 0.01)').argParser(parseNumber('--sigma', 1e-12, 1e3)),
    )
    .addOption(new Option('--lr <lr>', 'outer Adam learning rate (default 3e-3)').argParser(parseNumber('--lr', 0, 10)))
    .addOption(
      new Option(
        '--objective <kind>',
        "meta-loss: 'mean' log loss over the unroll (default) or 'final' log loss at T",
      ).argParser(parseChoice('--objective', ['mean', 'final'] as const)),
    )
    .addOption(
      new Option('--dim <n>', 'quadratic dimension, or hidden width of the MLP students (default 8)').argParser(
        parseInteger('--dim', 1, 4096),
      ),
    )
    .addOption(new Option('--seed <n>', 'seed (default 0)').argParser(parseInteger('--seed')))
    .addOption(
      new Option('--checkpoint-every <n>', 'iterations between checkpoints (default 50)').argParser(
        parseInteger('--checkpoint-every', 1),
      ),
    )
    .option('--out <dir>', 'run folder (default runs/learn-optimizer-<tasks>-<estimator>-s<seed>)')
    .option('--resume <dir>', 'continue the run in <dir> from its checkpoint (same configuration)')
    .option('--json', 'print a JSON summary instead of text')
    .action(async (opts: CliOptions) => {
      await runLearnOptimizer(opts);
    });
}
