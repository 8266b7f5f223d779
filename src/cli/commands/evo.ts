// `outerloop evo <strategy> --fn sphere --dim 10 --generations 200 ...`: minimizes a built-in test
// function (evo.functions) with an evolution strategy and a progress bar, and writes the run folder
// (config.json, metrics.jsonl with one row per generation, curve.svg of the best and mean fitness,
// checkpoint.olck with the best point and the strategy's center). The strategies and their flags
// come from the registry in evo/registry.ts; a flag not given leaves the strategy's own default.
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backend } from '../../backend/index.js';
import * as functions from '../../evo/functions.js';
import { type GenerationStats, optimize, type StrategyName } from '../../evo/optimize.js';
import { EVO_STRATEGIES } from '../../evo/registry.js';
import { saveCheckpoint } from '../../io/checkpoint.js';
import { VERSION } from '../../version.js';
import { looseName, parseInteger, parseNumber, registryFlags } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES } from '../run_dir.js';

const NAMES = Object.keys(EVO_STRATEGIES) as StrategyName[];
const FUNCTIONS: Readonly<Record<string, (x: ArrayLike<number>) => number>> = functions;

interface EvoOptions {
  fn: string;
  dim: number;
  generations: number;
  seed: number;
  x0: number;
  target?: number;
  out?: string;
  json?: boolean;
  backend?: 'native' | 'js';
  threads?: number;
  /** Strategy settings (see the registry). */
  [strategyOption: string]: unknown;
}

/** What `evo --json` prints. */
export interface EvoSummary {
  run: string;
  strategy: string;
  fn: string;
  dim: number;
  seed: number;
  /** Members per generation (the strategy's own default unless --pop-size). */
  popSize: number;
  generations: number;
  evaluations: number;
  bestFitness: number;
  seconds: number;
  backend: string;
  checkpoint: string;
}

// One flag per strategy setting, named after the option; unset, the strategy's default applies.
const FLAGS = registryFlags(EVO_STRATEGIES);

function strategyNamed(v: string): StrategyName {
  const name = NAMES.find((n) => looseName(n) === looseName(v));
  if (!name) throw new InvalidArgumentError(`expected one of ${NAMES.join(', ')}, got '${v}'`);
  return name;
}

async function runEvo(name: StrategyName, o: EvoOptions): Promise<void> {
  const entry = EVO_STRATEGIES[name];
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const settings = FLAGS.given(name, o);
  // Bad settings fail here, before any file is written.
  const strategy = entry.create(settings);
  const f = FUNCTIONS[o.fn] as (x: ArrayLike<number>) => number;
  const dir = o.out ?? path.join('runs', `${o.fn}-${o.dim}d-${name}-s${o.seed}`);
  const run = await createRunDir(dir, {
    strategy: name,
    fn: o.fn,
    dim: o.dim,
    generations: o.generations,
    seed: o.seed,
    x0: o.x0,
    target: o.target ?? null,
    ...settings,
    backend: backend.current(),
    threads: backend.threads(),
    version: VERSION,
    command: process.argv.slice(2).join(' '),
  });
  const bar = createProgress({
    total: o.generations,
    unit: 'gens',
    fields: [{ key: 'best', label: 'best', digits: 4 }],
    enabled: o.json ? false : undefined,
  });
  const t0 = performance.now();
  let result: Awaited<ReturnType<typeof optimize>>;
  try {
    result = await optimize(f, {
      strategy,
      x0: new Float32Array(o.dim).fill(o.x0),
      generations: o.generations,
      seed: o.seed,
      ...(o.target !== undefined ? { target: o.target } : {}),
      onGeneration: (s: GenerationStats) => {
        run.appendMetrics({ ...s, seconds: (performance.now() - t0) / 1000 });
        bar.update(s.generation + 1, { best: s.bestFitness });
      },
    });
  } finally {
    bar.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const history = result.history;
  // Every built-in function has its minimum at 0: a log axis shows the approach best, unless 0 was hit.
  const positive = history.every((h) => h.bestFitness > 0 && h.generationMean > 0);
  const rows = history.map((h) => ({ ...h }));
  await writeLineChart(run.file(RUN_FILES.curve), rows, {
    x: 'generation',
    y: ['bestFitness', 'generationMean'],
    title: `${name} on ${o.fn} (${o.dim}-d), seed ${o.seed}`,
    yTitle: 'fitness',
    logY: positive,
  });
  const checkpoint = run.file(RUN_FILES.checkpoint);
  await saveCheckpoint(checkpoint, {
    kind: `evo.${name}`,
    meta: { strategy: name, fn: o.fn, dim: o.dim, generations: history.length, bestFitness: result.bestFitness },
    arrays: { best: result.best, center: strategy.center(result.state) },
  });
  const summary: EvoSummary = {
    run: dir,
    strategy: name,
    fn: o.fn,
    dim: o.dim,
    seed: o.seed,
    popSize: history.length > 0 ? (history[0] as GenerationStats).evaluations : strategy.popSize,
    generations: history.length,
    evaluations: result.evaluations,
    bestFitness: result.bestFitness,
    seconds: Number(seconds.toFixed(3)),
    backend: backend.current(),
    checkpoint,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${name} on ${o.fn} (${o.dim}-d): best ${summary.bestFitness.toPrecision(6)} after ${summary.generations} ` +
        `generations (${summary.evaluations} evaluations, ${summary.popSize} per generation) in ${summary.seconds} s ` +
        `(${summary.backend})\nrun folder ${dir} (config.json, metrics.jsonl, curve.svg, ${RUN_FILES.checkpoint})\n`,
    );
}

export function registerEvoCommand(program: Command): void {
  const cmd = program
    .command('evo')
    .description('minimize a test function with one of the evolution strategies listed below')
    .addHelpText(
      'after',
      `\nStrategies (settings left out take the strategy's own defaults):\n` +
        NAMES.map((n) => `  ${n.padEnd(9)} ${EVO_STRATEGIES[n].summary}`).join('\n'),
    )
    .argument('<strategy>', `one of ${NAMES.join(', ')}`, strategyNamed)
    .addOption(new Option('--fn <name>', 'test function (minimum 0)').choices(Object.keys(FUNCTIONS)).default('sphere'))
    .option('--dim <n>', 'dimension', parseInteger('--dim', 1), 10)
    .option('--generations <n>', 'generations', parseInteger('--generations', 1), 200)
    .option('--seed <n>', 'seed', parseInteger('--seed', 0), 0)
    .option('--x0 <x>', 'start point (every coordinate)', parseNumber('--x0'), 3)
    .option('--target <x>', 'stop once the best fitness reaches this', parseNumber('--target'))
    .option('--out <dir>', 'run folder (default runs/<fn>-<dim>d-<strategy>-s<seed>)')
    .option('--json', 'no progress bar; print one JSON summary line at the end')
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', parseInteger('--threads', 1));
  FLAGS.addTo(cmd);
  cmd.action(async (name: StrategyName, o: EvoOptions) => {
    await runEvo(name, o);
  });
}
