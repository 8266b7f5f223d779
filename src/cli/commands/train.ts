// `outerloop train <trainer> --env ID ...`: trains with a progress bar (steps/s, recent mean
// return), writes the run folder (config.json, metrics.jsonl, curve.svg, checkpoint.olck), and
// on Ctrl-C stops after the current update, leaving a valid checkpoint of the run so far. The
// checkpoint holds the policy and the training state, so `--resume DIR` continues the run
// exactly: same configuration, metrics appended, curve redrawn over the whole history. The
// trainers, their flags (one per hyperparameter, kebab-case of the config key), help and defaults
// come from the registry in rl/trainers.ts; nothing here names a trainer.
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backend } from '../../backend/index.js';
import { loadCheckpoint } from '../../io/checkpoint.js';
import type { TrainingRun, UpdateStats } from '../../rl/config.js';
import type { Policy } from '../../rl/policy.js';
import type { TrainResult } from '../../rl/ppo.js';
import {
  checkResumedTotalSteps,
  mergeResumedConfig,
  parseTrainingState,
  type TrainingState,
} from '../../rl/train_state.js';
import {
  type ResolvedTrainerConfig,
  TRAINERS,
  type Trainer,
  type TrainerConfig,
  type TrainerName,
} from '../../rl/trainers.js';
import { VERSION } from '../../version.js';
import { flagOf, parseInteger, registryFlags, type SharedSetting, showValue } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES, type RunDir, readMetrics, readRunConfig, reopenRunDir } from '../run_dir.js';

/** What commander hands the action: the command's own flags plus any trainer hyperparameter given. */
interface TrainOptions {
  env?: string;
  resume?: string;
  out?: string;
  json?: boolean;
  backend?: 'native' | 'js';
  threads?: number;
  checkpointEvery: number;
  [hyperparameter: string]: unknown;
}

/** The JSON summary `train --json` prints (and the last line of a run). */
export interface TrainSummary {
  run: string;
  algo: string;
  env: string;
  objective: string | null;
  backend: string;
  seed: number;
  steps: number;
  updates: number;
  seconds: number;
  stepsPerSecond: number;
  /** Mean return of the last 100 training episodes. */
  meanReturn: number | null;
  aborted: boolean;
  checkpoint: string;
  /** The update a `--resume` continued from (null for a fresh run). */
  resumedFrom: number | null;
}

const NAMES = Object.keys(TRAINERS) as TrainerName[];

// One flag per hyperparameter of any trainer, named after its config key.
const FLAGS = registryFlags(TRAINERS);

/** A flag's help: the spec's, who takes it when not everyone, and the defaults (box actions' where they differ). */
function describe(key: string, { spec, takers }: SharedSetting<TrainerName>): string {
  const texts = takers.map((name) => {
    const t = TRAINERS[name];
    const d = showValue(t.defaults(false)[key]);
    const box = showValue(t.defaults(true)[key]);
    return d === box ? d : `${d}, box actions ${box}`;
  });
  const defaults = texts.every((x) => x === texts[0])
    ? texts[0]
    : takers.map((name, i) => `${name} ${texts[i]}`).join('; ');
  const who = takers.length === NAMES.length ? '' : `${takers.join(', ')}: `;
  return `${who}${spec.help} (default ${defaults})`;
}

/** What a fresh run and a resumed one hand to the training loop. */
interface PreparedRun {
  dir: string;
  run: RunDir;
  resolved: ResolvedTrainerConfig;
  /** The options passed to the trainer (without onUpdate and signal). */
  given: TrainerConfig;
  resumed: TrainingState | undefined;
}

async function prepareFresh(algo: TrainerName, o: TrainOptions, flags: Record<string, unknown>): Promise<PreparedRun> {
  if (o.env === undefined) throw new InvalidArgumentError("required option '--env <id>' not specified");
  const trainer: Trainer = TRAINERS[algo];
  const given: TrainerConfig = { env: o.env, ...flags };
  // Resolve now so config.json records every value used, and bad options fail before any file is written.
  const resolved = trainer.resolve(given);
  const variant = trainer.variant?.(resolved);
  const dir = o.out ?? path.join('runs', `${o.env}-${algo}${variant ? `-${variant}` : ''}-s${resolved.seed}`);
  const run = await createRunDir(dir, {
    algo,
    ...resolved,
    backend: backend.current(),
    threads: backend.threads(),
    version: VERSION,
    command: process.argv.slice(2).join(' '),
  });
  return { dir, run, resolved, given, resumed: undefined };
}

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

// Continues the run in o.resume with its own configuration: hyperparameter flags may only repeat
// the saved values; --total-steps may change where no schedule depends on it (annealLr off and
// not MDPO), as the library enforces.
async function prepareResume(
  algo: TrainerName,
  o: TrainOptions,
  hyperparameters: Record<string, unknown>,
): Promise<PreparedRun> {
  const dir = o.resume as string;
  if (o.out !== undefined) throw new InvalidArgumentError('--out: not with --resume (the run continues in its folder)');
  const record = (await readRunConfig(dir)) as Record<string, unknown>;
  if (typeof record !== 'object' || record === null || record.algo !== algo)
    throw new InvalidArgumentError(`--resume: ${dir} is not a ${algo} run (config.json algo: ${show(record?.algo)})`);
  const file = path.join(dir, RUN_FILES.checkpoint);
  const resumed = parseTrainingState(await loadCheckpoint(file), file);
  const flags: Record<string, unknown> = { ...hyperparameters };
  if (o.env !== undefined) flags.env = o.env;
  for (const [k, v] of Object.entries(flags)) {
    if (k === 'totalSteps' || show(v) === show(resumed.config[k])) continue;
    throw new InvalidArgumentError(
      `--resume: ${k === 'env' ? '--env' : flagOf(k)} ${show(v)} differs from the run's ${show(resumed.config[k])}; ` +
        'a resumed run keeps its configuration (besides --total-steps, give only --json, --threads, --backend or --checkpoint-every)',
    );
  }
  const given: TrainerConfig = { env: resumed.config.env as string, resume: file };
  if (o.totalSteps !== undefined) given.totalSteps = o.totalSteps as number;
  // Check everything (totalSteps included) before any file in the folder changes.
  const where = `outerloop train ${algo}`;
  const resolved = TRAINERS[algo].resolve(mergeResumedConfig(given, resumed, algo, where));
  checkResumedTotalSteps(resolved, resumed, where);
  const resumes = Array.isArray(record.resumes) ? record.resumes : [];
  const run = await reopenRunDir(
    dir,
    {
      ...record,
      totalSteps: resolved.totalSteps,
      resumes: [
        ...resumes,
        {
          fromUpdate: resumed.update,
          backend: backend.current(),
          threads: backend.threads(),
          version: VERSION,
          command: process.argv.slice(2).join(' '),
        },
      ],
    },
    resumed.update,
  );
  return { dir, run, resolved, given, resumed };
}

function trainerNamed(algo: string): TrainerName {
  if (!Object.hasOwn(TRAINERS, algo))
    throw new InvalidArgumentError(`algorithm: expected ${NAMES.map((n) => `'${n}'`).join(' or ')}, got '${algo}'`);
  return algo as TrainerName;
}

async function runTrain(algoArg: string, o: TrainOptions): Promise<void> {
  const algo = trainerNamed(algoArg);
  const trainer: Trainer = TRAINERS[algo];
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const hyperparameters = FLAGS.given(algo, o);
  const { dir, run, resolved, given, resumed } =
    o.resume !== undefined
      ? await prepareResume(algo, o, hyperparameters)
      : await prepareFresh(algo, o, hyperparameters);
  const env = resolved.env;
  const seed = resolved.seed;
  const variant = trainer.variant?.(resolved);
  const checkpoint = run.file(RUN_FILES.checkpoint);

  // The bar counts this session's steps, so its rate and ETA stay right when resuming.
  const startSteps = resumed?.steps ?? 0;
  const progress = createProgress({
    total: Math.max(1, resolved.totalSteps - startSteps),
    enabled: o.json ? false : undefined,
    fields: [{ key: 'meanReturn', label: 'return' }],
  });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const onUpdate = (s: UpdateStats, _policy: Policy, training: TrainingRun) => {
    run.appendMetrics({ ...s });
    progress.update(s.steps - startSteps, { meanReturn: s.meanReturn });
    if (o.checkpointEvery > 0 && s.update % o.checkpointEvery === 0) training.saveSync(checkpoint);
  };
  let result: TrainResult;
  try {
    result = await trainer.train({ ...given, onUpdate, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
  }
  // The policy and the training state: `--resume` continues from it, `eval` reads the policy.
  await result.save(checkpoint);
  // The whole history, the resumed run's included.
  const rows = await readMetrics(dir);
  await writeLineChart(run.file(RUN_FILES.curve), rows, {
    x: 'steps',
    y: 'meanReturn',
    title: `${env} ${algo}${variant ? ` (${variant})` : ''}, seed ${seed}`,
    xTitle: 'environment steps',
    yTitle: 'mean return (last 100 episodes)',
  });
  for (const chart of trainer.charts?.(resolved) ?? [])
    await writeLineChart(run.file(chart.file), rows, {
      x: 'steps',
      y: [...chart.y],
      title: `${env} ${algo}: ${chart.title}, seed ${seed}`,
      xTitle: 'environment steps',
      yTitle: chart.yTitle,
    });
  const last = result.history.at(-1);
  const seconds = last?.seconds ?? resumed?.seconds ?? 0;
  const steps = last?.steps ?? startSteps;
  const lastRow = rows.at(-1);
  const meanReturn = last ? last.meanReturn : typeof lastRow?.meanReturn === 'number' ? lastRow.meanReturn : Number.NaN;
  const summary: TrainSummary = {
    run: dir,
    algo,
    env,
    objective: variant ?? null,
    backend: backend.current(),
    seed,
    steps,
    updates: last?.update ?? resumed?.update ?? 0,
    seconds,
    stepsPerSecond: seconds > 0 ? steps / seconds : 0,
    meanReturn: Number.isFinite(meanReturn) ? meanReturn : null,
    aborted: result.aborted,
    checkpoint,
    resumedFrom: resumed ? resumed.update : null,
  };
  if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(
      `${result.aborted ? 'stopped' : 'done'}: ${steps} steps in ${seconds.toFixed(1)} s ` +
        `(${Math.round(summary.stepsPerSecond)} steps/s, ${summary.backend}); ` +
        `mean return ${summary.meanReturn === null ? '-' : summary.meanReturn.toFixed(1)}` +
        `${resumed ? ` (resumed at update ${resumed.update})` : ''}\n` +
        `run folder ${dir} (config.json, metrics.jsonl, curve.svg, ${RUN_FILES.checkpoint})` +
        // a policy-only checkpoint (meta.noTrainingState says why) cannot be resumed
        `${result.checkpoint.meta.noTrainingState === undefined ? `; continue with --resume ${dir}` : ''}\n`,
    );
  }
}

export function registerTrainCommand(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a policy with one of the trainers listed below')
    .addHelpText('after', `\nTrainers:\n${NAMES.map((n) => `  ${n.padEnd(6)} ${TRAINERS[n].summary}`).join('\n')}`)
    .argument('<algo>', NAMES.join(' or '))
    .option('--env <id>', 'environment id (see `outerloop envs`); required unless --resume')
    .option(
      '--resume <dir>',
      "continue the run in <dir> from its checkpoint, with its config.json's configuration " +
        '(only --total-steps, --json, --threads, --backend and --checkpoint-every may be given)',
    )
    .option('--out <dir>', 'run folder (default runs/<env>-<algo>[-<objective>]-s<seed>)')
    .option('--json', 'no progress bar; print one JSON summary line at the end')
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', parseInteger('--threads', 1))
    .option(
      '--checkpoint-every <updates>',
      'also save the checkpoint (resumable) every N updates (0: only at the end)',
      parseInteger('--checkpoint-every', 0),
      50,
    );
  FLAGS.addTo(cmd, describe);
  cmd.action(async (algo: string, o: TrainOptions) => {
    await runTrain(algo, o);
  });
}
