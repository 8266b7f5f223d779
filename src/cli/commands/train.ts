// `outerloop train ppo|a2c --env ID ...`: trains with a progress bar (steps/s, recent mean
// return), writes the run folder (config.json, metrics.jsonl, curve.svg, checkpoint.olck), and
// on Ctrl-C stops after the current update, leaving a valid checkpoint of the run so far. The
// checkpoint holds the policy and the training state, so `--resume DIR` continues the run
// exactly: same configuration, metrics appended, curve redrawn over the whole history.
import * as path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backend } from '../../backend/index.js';
import { loadCheckpoint } from '../../io/checkpoint.js';
import * as a2c from '../../rl/a2c.js';
import {
  A2C_KEYS,
  type A2cConfig,
  PPO_KEYS,
  type PpoConfig,
  resolveA2cConfig,
  resolvePpoConfig,
  type TrainingRun,
  type UpdateStats,
} from '../../rl/config.js';
import type { Policy } from '../../rl/policy.js';
import * as ppo from '../../rl/ppo.js';
import { isContinuous } from '../../rl/setup.js';
import {
  checkResumedTotalSteps,
  mergeResumedConfig,
  parseTrainingState,
  type TrainingState,
} from '../../rl/trainState.js';
import { VERSION } from '../../version.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES, type RunDir, readMetrics, readRunConfig, reopenRunDir } from '../runDir.js';

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name}: expected an integer, got '${v}'`);
    return n;
  };
}
function num(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name}: expected a number, got '${v}'`);
    return n;
  };
}
function widths(v: string): number[] {
  const w = v.split(',').map((s) => Number(s));
  if (w.length === 0 || w.some((x) => !Number.isInteger(x) || x < 1))
    throw new InvalidArgumentError(`--hidden: expected comma-separated widths such as 64,64, got '${v}'`);
  return w;
}
function bool(v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidArgumentError(`expected true or false, got '${v}'`);
}

interface TrainOptions {
  env?: string;
  resume?: string;
  objective?: 'clip' | 'dpo' | 'mdpo';
  totalSteps?: number;
  seed?: number;
  numEnvs?: number;
  out?: string;
  json?: boolean;
  backend?: 'native' | 'js';
  threads?: number;
  checkpointEvery: number;
  numSteps?: number;
  lr?: number;
  annealLr?: boolean;
  gamma?: number;
  gaeLambda?: number;
  entCoef?: number;
  vfCoef?: number;
  maxGradNorm?: number;
  hidden?: number[];
  activation?: 'tanh' | 'relu';
  network?: 'separate' | 'shared';
  normAdv?: boolean;
  normalizeObs?: boolean;
  normalizeReward?: boolean;
  numMinibatches?: number;
  updateEpochs?: number;
  clipCoef?: number;
  clipVloss?: boolean;
  adamEps?: number;
  targetKl?: number;
  dpoAlpha?: number;
  dpoBeta?: number;
  clipObs?: number;
  clipReward?: number;
  rmsDecay?: number;
  rmsEps?: number;
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

// The flags map one to one onto the trainers' config keys (camelCase of the kebab flag); the
// lists come from rl/config so a new hyperparameter cannot be accepted by the API and missed here.
const NOT_FLAGS = new Set<string>(['env', 'onUpdate', 'signal', 'resume']);
const PPO_FLAGS = PPO_KEYS.filter((k) => !NOT_FLAGS.has(k));
const A2C_FLAGS = A2C_KEYS.filter((k) => !NOT_FLAGS.has(k));
const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function pick(o: TrainOptions, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (o as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

type ResolvedTrainConfig = ReturnType<typeof resolvePpoConfig> | ReturnType<typeof resolveA2cConfig>;

/** What a fresh run and a resumed one hand to the training loop. */
interface PreparedRun {
  dir: string;
  run: RunDir;
  resolved: ResolvedTrainConfig;
  /** The options passed to the trainer (without onUpdate and signal). */
  given: Record<string, unknown>;
  resumed: TrainingState | undefined;
}

const resolveFor = (algo: string, given: Record<string, unknown>): ResolvedTrainConfig =>
  algo === 'ppo'
    ? resolvePpoConfig(given as unknown as PpoConfig, isContinuous(given.env as string))
    : resolveA2cConfig(given as unknown as A2cConfig);

async function prepareFresh(algo: string, o: TrainOptions, own: readonly string[]): Promise<PreparedRun> {
  if (o.env === undefined) throw new InvalidArgumentError("required option '--env <id>' not specified");
  const given = { env: o.env, ...pick(o, own) };
  // Resolve now so config.json records every value used, and bad options fail before any file is written.
  const resolved = resolveFor(algo, given);
  const dir =
    o.out ??
    path.join(
      'runs',
      `${o.env}-${algo}${algo === 'ppo' ? `-${(resolved as PpoConfig).objective}` : ''}-s${resolved.seed}`,
    );
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
async function prepareResume(algo: string, o: TrainOptions, own: readonly string[]): Promise<PreparedRun> {
  const dir = o.resume as string;
  if (o.out !== undefined) throw new InvalidArgumentError('--out: not with --resume (the run continues in its folder)');
  const record = (await readRunConfig(dir)) as Record<string, unknown>;
  if (typeof record !== 'object' || record === null || record.algo !== algo)
    throw new InvalidArgumentError(`--resume: ${dir} is not a ${algo} run (config.json algo: ${show(record?.algo)})`);
  const file = path.join(dir, RUN_FILES.checkpoint);
  const resumed = parseTrainingState(await loadCheckpoint(file), file);
  const flags: Record<string, unknown> = { ...pick(o, own) };
  if (o.env !== undefined) flags.env = o.env;
  for (const [k, v] of Object.entries(flags)) {
    if (k === 'totalSteps' || show(v) === show(resumed.config[k])) continue;
    throw new InvalidArgumentError(
      `--resume: ${k === 'env' ? '--env' : flagOf(k)} ${show(v)} differs from the run's ${show(resumed.config[k])}; ` +
        'a resumed run keeps its configuration (besides --total-steps, give only --json, --threads, --backend or --checkpoint-every)',
    );
  }
  const given: Record<string, unknown> = { env: resumed.config.env, resume: file };
  if (o.totalSteps !== undefined) given.totalSteps = o.totalSteps;
  // Check everything (totalSteps included) before any file in the folder changes.
  const resolved = resolveFor(
    algo,
    mergeResumedConfig(given as { env: string }, resumed, algo, `outerloop train ${algo}`),
  );
  checkResumedTotalSteps(resolved, resumed, `outerloop train ${algo}`);
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

async function runTrain(algo: string, o: TrainOptions): Promise<void> {
  if (algo !== 'ppo' && algo !== 'a2c')
    throw new InvalidArgumentError(`algorithm: expected 'ppo' or 'a2c', got '${algo}'`);
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const own: readonly string[] = algo === 'ppo' ? PPO_FLAGS : A2C_FLAGS;
  const foreign = (algo === 'ppo' ? A2C_FLAGS : PPO_FLAGS).filter(
    (k) => !own.includes(k) && (o as unknown as Record<string, unknown>)[k] !== undefined,
  );
  if (foreign.length > 0) throw new InvalidArgumentError(`${algo} does not take ${foreign.map(flagOf).join(', ')}`);
  const { dir, run, resolved, given, resumed } =
    o.resume !== undefined ? await prepareResume(algo, o, own) : await prepareFresh(algo, o, own);
  const env = resolved.env;
  const seed = resolved.seed;
  const objective = algo === 'ppo' ? (resolved as PpoConfig).objective : undefined;
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
  const config = { ...given, onUpdate, signal: controller.signal };
  let result: ppo.TrainResult;
  try {
    result = algo === 'ppo' ? await ppo.train(config as PpoConfig) : await a2c.train(config as A2cConfig);
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
    title: `${env} ${algo}${objective ? ` (${objective})` : ''}, seed ${seed}`,
    xTitle: 'environment steps',
    yTitle: 'mean return (last 100 episodes)',
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
    objective: objective ?? null,
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
        `run folder ${dir} (config.json, metrics.jsonl, curve.svg, ${RUN_FILES.checkpoint}); ` +
        `continue with --resume ${dir}\n`,
    );
  }
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train a policy: ppo (objectives clip, dpo, mdpo) or a2c')
    .argument('<algo>', 'ppo or a2c')
    .option('--env <id>', 'environment id (see `outerloop envs`); required unless --resume')
    .option(
      '--resume <dir>',
      "continue the run in <dir> from its checkpoint, with its config.json's configuration " +
        '(only --total-steps, --json, --threads, --backend and --checkpoint-every may be given)',
    )
    .addOption(new Option('--objective <name>', 'ppo policy objective').choices(['clip', 'dpo', 'mdpo']))
    .option('--total-steps <n>', 'environment steps in total', int('--total-steps'))
    .option('--seed <n>', 'random seed', int('--seed'))
    .option('--num-envs <n>', 'parallel environments', int('--num-envs'))
    .option('--out <dir>', 'run folder (default runs/<env>-<algo>[-<objective>]-s<seed>)')
    .option('--json', 'no progress bar; print one JSON summary line at the end')
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', int('--threads'))
    .option(
      '--checkpoint-every <updates>',
      'also save the checkpoint (resumable) every N updates (0: only at the end)',
      int('--checkpoint-every'),
      50,
    )
    .option('--num-steps <n>', 'steps per env per rollout', int('--num-steps'))
    .option('--lr <x>', 'learning rate', num('--lr'))
    .option('--anneal-lr <bool>', 'anneal the learning rate linearly to 0', bool)
    .option('--gamma <x>', 'discount', num('--gamma'))
    .option('--gae-lambda <x>', 'GAE lambda', num('--gae-lambda'))
    .option('--ent-coef <x>', 'entropy bonus coefficient', num('--ent-coef'))
    .option('--vf-coef <x>', 'value loss coefficient', num('--vf-coef'))
    .option('--max-grad-norm <x>', 'global gradient-norm clip (0: off)', num('--max-grad-norm'))
    .option('--hidden <widths>', 'hidden layer widths, e.g. 64,64', widths)
    .addOption(new Option('--activation <name>', 'hidden activation').choices(['tanh', 'relu']))
    .addOption(new Option('--network <kind>', 'actor and critic networks').choices(['separate', 'shared']))
    .option('--norm-adv <bool>', 'normalize advantages per minibatch', bool)
    .option('--normalize-obs <bool>', 'running observation normalization', bool)
    .option('--normalize-reward <bool>', 'scale rewards by the running return std', bool)
    .option('--clip-obs <x>', 'clip normalized observations to +-x', num('--clip-obs'))
    .option('--clip-reward <x>', 'clip normalized rewards to +-x', num('--clip-reward'))
    .option('--num-minibatches <n>', 'ppo: minibatches per epoch', int('--num-minibatches'))
    .option('--update-epochs <n>', 'ppo: epochs per update', int('--update-epochs'))
    .option('--clip-coef <x>', 'ppo: ratio (and value) clip', num('--clip-coef'))
    .option('--clip-vloss <bool>', 'ppo: clipped value loss', bool)
    .option('--adam-eps <x>', "ppo: Adam's epsilon", num('--adam-eps'))
    .option('--target-kl <x>', 'ppo: stop epochs early above this approximate KL', num('--target-kl'))
    .option('--dpo-alpha <x>', 'ppo dpo: drift alpha', num('--dpo-alpha'))
    .option('--dpo-beta <x>', 'ppo dpo: drift beta', num('--dpo-beta'))
    .option('--rms-decay <x>', "a2c: RMSprop's decay", num('--rms-decay'))
    .option('--rms-eps <x>', "a2c: RMSprop's epsilon", num('--rms-eps'))
    .action(async (algo: string, o: TrainOptions) => {
      await runTrain(algo, o);
    });
}
