// `outerloop learn objective --envs CartPole-v1,Acrobot-v1 --generations N --population P
// --steps-per-run S --out DIR`: discovers an LPO (or, with --temporal, TA-LPO) drift with
// learned.discoverPolicyObjective and writes the run folder: config.json, metrics.jsonl (one row
// per generation: each env's mean and best final return, σ), checkpoint.olck (θ after every
// generation; kind 'learned.drift'), curve.svg (mean return per env by generation) and drift.svg
// (the discovered D(r, A) beside PPO-clip's and DPO's implied drifts, at A = ±1).
// The lead's `learn` group calls registerLearnObjectiveCommand.
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { saveCheckpoint } from '../../io/checkpoint.js';
import { discoverPolicyObjective } from '../../learned/discover.js';
import type { DriftFunction } from '../../learned/drift.js';
import { driftFunction } from '../../learned/drift.js';
import { dpoDrift, ppoClipDrift } from '../../learned/drift_reference.js';
import { VERSION } from '../../version.js';
import { parseInteger, parseIntegers, parseNumber } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES } from '../run_dir.js';

/** The settings a `learn objective` run is defined by (config.json holds them). */
export interface LearnObjectiveConfig {
  envs: string[];
  temporal: boolean;
  hidden: number[];
  population: number;
  generations: number;
  stepsPerRun: number;
  sigma: number;
  lr: number;
  seed: number;
  threads: number;
}

interface CliOptions extends Partial<LearnObjectiveConfig> {
  out?: string;
  json?: boolean;
}

/** What `learn objective --json` prints. */
export interface LearnObjectiveSummary {
  run: string;
  generations: number;
  /** Per env: the members' mean final return in the first and the last generation. */
  meanReturnStart: number[];
  meanReturnEnd: number[];
  seconds: number;
  checkpoint: string;
}

const DEFAULTS: LearnObjectiveConfig = {
  envs: ['CartPole-v1'],
  temporal: false,
  hidden: [32],
  population: 16,
  generations: 10,
  stepsPerRun: 20_000,
  sigma: 0.03,
  lr: 0.03,
  seed: 0,
  threads: 0,
};

/** File name of the drift plot in the run folder. */
export const DRIFT_PLOT = 'drift.svg';

/**
 * Rows of D(r, A) over r ∈ [0.25, 2.5] at A = +1 and −1: the learned drift (at progress 0 and 1
 * when temporal) and PPO-clip's (ε 0.2) and DPO's (α 2, β 0.6) implied drifts.
 */
export function driftRows(net: DriftFunction, theta: Float32Array, points = 91): Record<string, number>[] {
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < points; i++) {
    const r = 0.25 + (2.25 * i) / (points - 1);
    const row: Record<string, number> = { r };
    for (const a of [1, -1]) {
      const tag = a > 0 ? 'A=+1' : 'A=-1';
      if (net.temporal) {
        row[`learned p=0 ${tag}`] = net.at(theta, r, a, 0).value;
        row[`learned p=1 ${tag}`] = net.at(theta, r, a, 1).value;
      } else row[`learned ${tag}`] = net.at(theta, r, a).value;
      row[`PPO-clip ${tag}`] = ppoClipDrift(r, a);
      row[`DPO ${tag}`] = dpoDrift(r, a);
    }
    rows.push(row);
  }
  return rows;
}

/** Draws `driftRows` to an SVG file. */
export async function writeDriftPlot(
  file: string,
  net: DriftFunction,
  theta: Float32Array,
  title: string,
): Promise<void> {
  const rows = driftRows(net, theta);
  const first = rows[0] as Record<string, number>;
  await writeLineChart(file, rows, {
    x: 'r',
    y: Object.keys(first).filter((k) => k !== 'r'),
    title,
    xTitle: 'ratio r = π/π_old',
    yTitle: 'drift D(r, A)',
    width: 560,
    height: 340,
  });
}

function parseEnvs(v: string): string[] {
  const envs = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (envs.length === 0) throw new InvalidArgumentError('--envs: expected env ids separated by commas');
  return envs;
}

async function runLearnObjective(o: CliOptions): Promise<void> {
  const given = Object.fromEntries(Object.entries(o).filter(([k, v]) => k in DEFAULTS && v !== undefined));
  const config = { ...DEFAULTS, ...given } as LearnObjectiveConfig;
  if (config.population % 2 !== 0)
    throw new InvalidArgumentError(
      `--population: expected an even number (antithetic pairs), got ${config.population}`,
    );
  const net = driftFunction({ hidden: config.hidden, temporal: config.temporal });
  const dir = o.out ?? path.join('runs', `learn-objective-${config.temporal ? 'ta-lpo' : 'lpo'}-s${config.seed}`);
  const run = await createRunDir(dir, {
    ...config,
    drift: net.name,
    version: VERSION,
    command: process.argv.slice(2).join(' '),
  });
  const bar = createProgress({
    total: config.generations,
    unit: 'gens',
    fields: [{ key: 'ret', label: `return ${config.envs[0]}` }],
    enabled: o.json ? false : undefined,
  });
  const ckpt = path.join(dir, RUN_FILES.checkpoint);
  const t0 = performance.now();
  const save = (theta: Float32Array, generation: number) =>
    saveCheckpoint(ckpt, {
      kind: 'learned.drift',
      meta: { hidden: [...net.hidden], temporal: net.temporal, generation, envs: config.envs, version: VERSION },
      arrays: { theta },
    });
  let result: Awaited<ReturnType<typeof discoverPolicyObjective>>;
  try {
    result = await discoverPolicyObjective({
      ...config,
      onProgress: async (e, theta) => {
        const row: Record<string, number> = { generation: e.generation, sigma: e.sigma, seconds: e.seconds };
        config.envs.forEach((env, i) => {
          row[`meanReturn:${env}`] = e.meanReturn[i] as number;
          row[`maxReturn:${env}`] = e.maxReturn[i] as number;
        });
        run.appendMetrics(row);
        bar.update(e.generation, { ret: e.meanReturn[0] });
        await save(theta, e.generation);
      },
    });
  } finally {
    bar.stop();
  }
  const rows = result.history.map((h) => {
    const row: Record<string, number> = { generation: h.generation };
    config.envs.forEach((env, i) => {
      row[env] = h.meanReturn[i] as number;
    });
    return row;
  });
  await writeLineChart(run.file(RUN_FILES.curve), rows, {
    x: 'generation',
    y: config.envs,
    title: `${net.name}: members' mean final return (P ${config.population}, ${config.stepsPerRun} PPO steps)`,
    yTitle: 'final return',
  });
  await writeDriftPlot(run.file(DRIFT_PLOT), net, result.theta, `${net.name} after ${config.generations} generations`);
  const first = result.history[0];
  const last = result.history[result.history.length - 1];
  const summary: LearnObjectiveSummary = {
    run: dir,
    generations: result.history.length,
    meanReturnStart: first ? first.meanReturn : [],
    meanReturnEnd: last ? last.meanReturn : [],
    seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    checkpoint: ckpt,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `${net.name} on ${config.envs.join(', ')}: mean return ${summary.meanReturnStart.map((x) => x.toFixed(1)).join('/')} → ` +
        `${summary.meanReturnEnd.map((x) => x.toFixed(1)).join('/')} over ${summary.generations} generations in ${summary.seconds} s\n` +
        `run folder ${dir} (config.json, metrics.jsonl, curve.svg, ${DRIFT_PLOT}, ${RUN_FILES.checkpoint})\n`,
    );
}

/** Adds `objective` to the `learn` command group: discover an LPO / TA-LPO drift (see the file comment). */
export function registerLearnObjectiveCommand(learn: Command): void {
  learn
    .command('objective')
    .description('discover a PPO drift objective (LPO; TA-LPO with --temporal) by OpenAI-ES over short PPO runs')
    .addOption(
      new Option('--envs <ids>', 'meta-training envs, comma-separated (default CartPole-v1)').argParser(parseEnvs),
    )
    .option('--temporal', 'TA-LPO: training progress is a drift input')
    .addOption(
      new Option('--hidden <widths>', 'hidden layers of the drift network (default 32)').argParser(
        parseIntegers('--hidden', 1, 4096),
      ),
    )
    .addOption(
      new Option('--population <P>', 'ES members per generation, even (default 16)').argParser(
        parseInteger('--population', 2),
      ),
    )
    .addOption(
      new Option('--generations <N>', 'ES generations (default 10)').argParser(parseInteger('--generations', 1)),
    )
    .addOption(
      new Option('--steps-per-run <S>', 'env steps of each inner PPO run (default 20000)').argParser(
        parseInteger('--steps-per-run', 1),
      ),
    )
    .addOption(new Option('--sigma <x>', 'initial ES sigma (default 0.03)').argParser(parseNumber('--sigma', 1e-9)))
    .addOption(
      new Option('--lr <x>', 'initial Adam rate on the ES mean (default 0.03)').argParser(parseNumber('--lr', 0)),
    )
    .addOption(new Option('--seed <n>', 'random seed (default 0)').argParser(parseInteger('--seed', 0)))
    .addOption(
      new Option('--threads <n>', 'worker threads for the inner runs (default 0: in process)').argParser(
        parseInteger('--threads', 0),
      ),
    )
    .option('--out <dir>', 'run folder (default runs/learn-objective-<lpo|ta-lpo>-s<seed>)')
    .option('--json', 'print a JSON summary instead of text')
    .action((o: CliOptions) => runLearnObjective(o));
}
