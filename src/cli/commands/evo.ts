// `outerloop evo <strategy> --fn sphere --dim 10 --generations 200 ...`: minimizes a built-in test
// function (evo.functions) with an evolution strategy and a progress bar, and writes the run folder
// (config.json, metrics.jsonl with one row per generation, curve.svg of the best and mean fitness,
// checkpoint.olck with the best point and the strategy's center). The strategies and their flags
// come from the registry in evo/registry.ts; a flag not given leaves the strategy's own default.
// With `--env ID` it evolves an MLP policy instead (fitness: mean episode return, maximized) through
// the built-in rollout fitness, which `--redis URL` fans out to `outerloop worker`s (same result).
// Ctrl-C stops after the generation under way and still writes the run folder.
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backend } from '../../backend/index.js';
import type { ClusterOptions } from '../../cluster/evaluator.js';
import type { FitnessRef, RolloutFitnessOptions } from '../../cluster/fitness.js';
import { spec as envSpec } from '../../envs/specs.js';
import * as functions from '../../evo/functions.js';
import { type GenerationStats, optimize, type StrategyName } from '../../evo/optimize.js';
import { EVO_STRATEGIES } from '../../evo/registry.js';
import { saveCheckpoint } from '../../io/checkpoint.js';
import { VERSION } from '../../version.js';
import { looseName, parseInteger, parseIntegers, parseNumber, registryFlags } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES } from '../run_dir.js';
import {
  POPULATION_STRATEGIES,
  type PopulationCliOptions,
  type PopulationStrategy,
  runPopulation,
} from './evo_population.js';

const NAMES = Object.keys(EVO_STRATEGIES) as StrategyName[];
const FUNCTIONS: Readonly<Record<string, (x: ArrayLike<number>) => number>> = functions;

interface EvoOptions {
  fn?: string;
  dim: number;
  env?: string;
  hidden: number[];
  envsPerMember?: number;
  maxSteps?: number;
  redis?: string;
  queue?: string;
  jobTimeout?: number;
  membersPerJob?: number;
  generations: number;
  seed: number;
  x0?: number;
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
  /** The test function minimized, or null for an env run. */
  fn: string | null;
  /** The env whose return is maximized, or null for a test-function run. */
  env: string | null;
  /** Searched dimension (policy parameters for an env run). */
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
  /** True when Ctrl-C stopped the run early. */
  stopped: boolean;
}

/** The fitness of an env run: the built-in rollout fitness of an MLP policy [obs, …hidden, actions]. */
function envFitness(o: EvoOptions & { env: string }): { ref: FitnessRef; dim: number; sizes: number[] } {
  const s = envSpec(o.env);
  const act = s.actionSpace.type === 'discrete' ? s.actionSpace.n : (s.actionSpace.shape[0] as number);
  const sizes = [s.observationSpace.shape[0] as number, ...o.hidden, act];
  let dim = 0;
  for (let l = 1; l < sizes.length; l++) dim += ((sizes[l - 1] as number) + 1) * (sizes[l] as number);
  const options: RolloutFitnessOptions = {
    env: o.env,
    sizes,
    ...(o.envsPerMember !== undefined ? { envsPerMember: o.envsPerMember } : {}),
    ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
  };
  return { ref: { builtin: 'rollout', options }, dim, sizes };
}

function clusterOf(o: EvoOptions): ClusterOptions | undefined {
  if (o.redis === undefined) {
    if (o.queue !== undefined || o.jobTimeout !== undefined)
      throw new InvalidArgumentError('--queue and --job-timeout need --redis');
    return undefined;
  }
  return {
    redis: o.redis,
    ...(o.queue !== undefined ? { queue: o.queue } : {}),
    ...(o.jobTimeout !== undefined ? { timeoutMs: o.jobTimeout } : {}),
    ...(o.membersPerJob !== undefined ? { membersPerJob: o.membersPerJob } : {}),
  };
}

// One flag per strategy setting, named after the option; unset, the strategy's default applies.
const FLAGS = registryFlags(EVO_STRATEGIES);

const POPULATION = Object.keys(POPULATION_STRATEGIES) as PopulationStrategy[];

function strategyNamed(v: string): StrategyName | PopulationStrategy {
  const name = [...NAMES, ...POPULATION].find((n) => looseName(n) === looseName(v));
  if (!name) throw new InvalidArgumentError(`expected one of ${[...NAMES, ...POPULATION].join(', ')}, got '${v}'`);
  return name;
}

function parseNumbers(flag: string): (v: string) => number[] {
  return (v) => {
    const xs = v.split(',').map((p) => Number(p.trim()));
    if (xs.length === 0 || xs.some((x) => !Number.isFinite(x)))
      throw new InvalidArgumentError(`${flag}: expected comma-separated numbers, got '${v}'`);
    return xs;
  };
}

async function runEvo(name: StrategyName, o: EvoOptions): Promise<void> {
  const entry = EVO_STRATEGIES[name];
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  if (o.env !== undefined && o.fn !== undefined) throw new InvalidArgumentError('give --fn or --env, not both');
  if (o.env === undefined && (o.redis !== undefined || o.envsPerMember !== undefined || o.maxSteps !== undefined))
    throw new InvalidArgumentError('--redis, --envs-per-member and --max-steps need --env');
  const cluster = clusterOf(o);
  const fnName = o.env === undefined ? (o.fn ?? 'sphere') : null;
  const env = o.env === undefined ? undefined : envFitness({ ...o, env: o.env });
  const dim = env ? env.dim : o.dim;
  // A policy starts at 0 (every action logit equal); a test function at 3 unless --x0.
  const x0 = o.x0 ?? (env ? 0 : 3);
  // An env's return is maximized; the strategy's sense is its own option.
  const settings = env ? { ...FLAGS.given(name, o), minimize: false } : FLAGS.given(name, o);
  // Bad settings fail here, before any file is written.
  const strategy = entry.create(settings);
  const f = env ? env.ref : (FUNCTIONS[fnName as string] as (x: ArrayLike<number>) => number);
  const label = env ? `${o.env}-mlp${o.hidden.join('x')}` : `${fnName}-${dim}d`;
  const dir = o.out ?? path.join('runs', `${label}-${name}-s${o.seed}`);
  const run = await createRunDir(dir, {
    strategy: name,
    fn: fnName,
    env: o.env ?? null,
    ...(env ? { sizes: env.sizes, envsPerMember: o.envsPerMember ?? 1, maxSteps: o.maxSteps ?? null } : {}),
    redis: o.redis ?? null,
    dim,
    generations: o.generations,
    seed: o.seed,
    x0,
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
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let result: Awaited<ReturnType<typeof optimize>>;
  try {
    result = await optimize(f, {
      strategy,
      x0: new Float32Array(dim).fill(x0),
      generations: o.generations,
      seed: o.seed,
      signal: controller.signal,
      ...(cluster ? { cluster } : {}),
      ...(o.target !== undefined ? { target: o.target } : {}),
      onGeneration: (s: GenerationStats) => {
        run.appendMetrics({ ...s, seconds: (performance.now() - t0) / 1000 });
        bar.update(s.generation + 1, { best: s.bestFitness });
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const history = result.history;
  // Every built-in function has its minimum at 0: a log axis shows the approach best, unless 0 was hit.
  const positive = !env && history.every((h) => h.bestFitness > 0 && h.generationMean > 0);
  const what = env ? `${o.env} (MLP ${env.sizes.join('-')})` : `${fnName} (${dim}-d)`;
  const rows = history.map((h) => ({ ...h }));
  await writeLineChart(run.file(RUN_FILES.curve), rows, {
    x: 'generation',
    y: ['bestFitness', 'generationMean'],
    title: `${name} on ${what}, seed ${o.seed}`,
    yTitle: env ? 'mean episode return' : 'fitness',
    logY: positive,
  });
  const checkpoint = run.file(RUN_FILES.checkpoint);
  await saveCheckpoint(checkpoint, {
    kind: `evo.${name}`,
    meta: {
      strategy: name,
      fn: fnName,
      env: o.env ?? null,
      ...(env ? { sizes: env.sizes } : {}),
      dim,
      generations: history.length,
      bestFitness: result.bestFitness,
    },
    arrays: { best: result.best, center: strategy.center(result.state) },
  });
  const summary: EvoSummary = {
    run: dir,
    strategy: name,
    fn: fnName,
    env: o.env ?? null,
    dim,
    seed: o.seed,
    popSize: history.length > 0 ? (history[0] as GenerationStats).evaluations : strategy.popSize,
    generations: history.length,
    evaluations: result.evaluations,
    bestFitness: result.bestFitness,
    seconds: Number(seconds.toFixed(3)),
    backend: backend.current(),
    checkpoint,
    stopped: result.stopped,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${name} on ${what}: best ${summary.bestFitness.toPrecision(6)} after ${summary.generations} ` +
        `generations (${summary.evaluations} evaluations, ${summary.popSize} per generation) in ${summary.seconds} s ` +
        `(${summary.backend}${o.redis ? `, workers on ${o.redis}` : ''})${result.stopped ? ', stopped by Ctrl-C' : ''}\nrun folder ${dir} (config.json, metrics.jsonl, curve.svg, ${RUN_FILES.checkpoint})\n`,
    );
}

export function registerEvoCommand(program: Command): void {
  const cmd = program
    .command('evo')
    .description(
      'minimize a test function, or evolve an MLP policy on an env (--env), with one of the evolution strategies listed below',
    )
    .addHelpText(
      'after',
      `\nStrategies (settings left out take the strategy's own defaults):\n` +
        NAMES.map((n) => `  ${n.padEnd(9)} ${EVO_STRATEGIES[n].summary}`).join('\n') +
        `\n\nPopulation strategies (need --env; the run folder also gets archive.jsonl + archive.svg, or traces.svg):\n` +
        POPULATION.map((n) => `  ${n.padEnd(9)} ${POPULATION_STRATEGIES[n]}`).join('\n'),
    )
    .argument('<strategy>', `one of ${[...NAMES, ...POPULATION].join(', ')}`, strategyNamed)
    .addOption(new Option('--fn <name>', 'test function (minimum 0), default sphere').choices(Object.keys(FUNCTIONS)))
    .option('--dim <n>', 'dimension of a test function', parseInteger('--dim', 1), 10)
    .option('--env <id>', 'evolve an MLP policy on this env instead (fitness: mean episode return, maximized)')
    .option('--hidden <sizes>', 'hidden widths of the policy, comma-separated', parseIntegers('--hidden', 1), [16])
    .option('--envs-per-member <n>', 'episodes per member (default 1)', parseInteger('--envs-per-member', 1))
    .option('--max-steps <n>', "step cap per episode (default the env's limit)", parseInteger('--max-steps', 1))
    .option('--redis <url>', 'fan evaluations out to `outerloop worker`s on this Redis (same result as without)')
    .option('--queue <name>', 'queue name with --redis (default outerloop-evaluate)')
    .option(
      '--job-timeout <ms>',
      'with --redis: fail when no worker takes a job for this long (default 60000)',
      parseInteger('--job-timeout', 100),
    )
    .option('--members-per-job <n>', 'members per queue job with --redis', parseInteger('--members-per-job', 1))
    .option(
      '--cluster-threads <n>',
      'pbt: train members as jobs on this many worker threads',
      parseInteger('--cluster-threads', 1),
    )
    .addOption(
      new Option('--descriptor <kind>', 'map-elites/serene: behaviour descriptor')
        .choices(['finalObs', 'actionStats', 'both'])
        .default('finalObs'),
    )
    .option(
      '--components <i,j>',
      'map-elites/serene: descriptor components kept (1 or 2)',
      parseIntegers('--components', 0),
    )
    .option(
      '--cells <n[,m]>',
      'map-elites/serene: archive cells per descriptor component',
      parseIntegers('--cells', 1),
      [10],
    )
    .option('--lower <a[,b]>', 'map-elites/serene: lower descriptor bounds', parseNumbers('--lower'))
    .option('--upper <a[,b]>', 'map-elites/serene: upper descriptor bounds', parseNumbers('--upper'))
    .option('--emitters <n>', 'map-elites: CMA-ME emitters (default 5)', parseInteger('--emitters', 1))
    .option('--batch-size <n>', 'map-elites: members per emitter per generation', parseInteger('--batch-size', 1))
    .option('--budget <n>', 'serene: evaluations in total (default 2000)', parseInteger('--budget', 1))
    .option('--population <n>', 'pbt: members', parseInteger('--population', 2), 4)
    .option(
      '--interval <n>',
      'pbt: env steps each member trains between exploit/explore rounds',
      parseInteger('--interval', 1),
      4096,
    )
    .option('--hyper <ranges>', 'pbt: searched PPO settings name=lo:hi,…', 'lr=0.0001:0.01,entCoef=0.001:0.1')
    .option('--truncation <f>', 'pbt: fraction replaced each round (default 0.25)', parseNumber('--truncation'))
    .option('--generations <n>', 'generations', parseInteger('--generations', 1), 200)
    .option('--seed <n>', 'seed', parseInteger('--seed', 0), 0)
    .option('--x0 <x>', 'start point, every coordinate (default 3, or 0 for a policy)', parseNumber('--x0'))
    .option('--target <x>', 'stop once the best fitness reaches this', parseNumber('--target'))
    .option('--out <dir>', 'run folder (default runs/<fn>-<dim>d-<strategy>-s<seed>)')
    .option('--json', 'no progress bar; print one JSON summary line at the end')
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', parseInteger('--threads', 1));
  FLAGS.addTo(cmd);
  cmd.action(async (name: StrategyName | PopulationStrategy, o: EvoOptions) => {
    if ((POPULATION as string[]).includes(name))
      await runPopulation(name as PopulationStrategy, o as unknown as PopulationCliOptions);
    else await runEvo(name as StrategyName, o);
  });
}
