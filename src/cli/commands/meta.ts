// `outerloop meta <learner> --task sine ...`: meta-trains on a task family with a progress bar,
// writes the run folder (config.json, metrics.jsonl, curve.svg with pre- vs post-adaptation loss,
// fit.svg with an adapted sine against its ground truth, checkpoint.olck with the
// meta-parameters) and prints held-out results. The learners, their particular options and their
// default inner steps come from the registry in meta/registry.ts.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { backend } from '../../backend/index.js';
import { saveCheckpoint } from '../../io/checkpoint.js';
import { truncatedNormalInit } from '../../meta/init.js';
import { META_LEARNERS, type MetaLearnerName } from '../../meta/registry.js';
import { linear, sine } from '../../meta/tasks/index.js';
import type { TaskDistribution } from '../../meta/tasks/types.js';
import { adam } from '../../optim/index.js';
import { key } from '../../random/index.js';
import { VERSION } from '../../version.js';
import { looseName, parseInteger, parseIntegers, parseNumber, registryFlags } from '../flags.js';
import { writeLineChart } from '../plot.js';
import { createProgress } from '../progress.js';
import { createRunDir, RUN_FILES } from '../run_dir.js';

/** The task families, by their --task name. */
const TASKS: Record<string, () => TaskDistribution> = {
  sine: () => sine(),
  'sine-reptile': () => sine({ variant: 'reptile' }),
  linear: () => linear(),
};

const KEYS = Object.keys(META_LEARNERS) as MetaLearnerName[];
/** The command-line name of a learner: its factory name in lower case ('metasgd'). */
const cliName = (k: MetaLearnerName): string => k.toLowerCase();

interface MetaCliOptions {
  task: string;
  iterations: number;
  metaBatch: number;
  shots: number;
  innerLr: number;
  innerSteps?: number;
  metaLr: number;
  hidden: number[];
  seed: number;
  evalTasks: number;
  out?: string;
  json?: boolean;
  backend?: 'native' | 'js';
  threads?: number;
  /** Options of particular learners (see the registry). */
  [learnerOption: string]: unknown;
}

// The options particular learners take (their defaults are the learner's).
const FLAGS = registryFlags(META_LEARNERS, cliName);

/** 'default 1; reptile 5, imaml 10': the most common default, then the exceptions. */
function innerStepsHelp(): string {
  const count = new Map<number, number>();
  for (const k of KEYS) count.set(META_LEARNERS[k].innerSteps, (count.get(META_LEARNERS[k].innerSteps) ?? 0) + 1);
  const common = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const others = KEYS.filter((k) => META_LEARNERS[k].innerSteps !== common).map(
    (k) => `${cliName(k)} ${META_LEARNERS[k].innerSteps}`,
  );
  return `inner steps during training (default ${common}${others.length ? `; ${others.join(', ')}` : ''})`;
}

function learnerNamed(v: string): MetaLearnerName {
  const k = KEYS.find((name) => looseName(name) === looseName(v));
  if (!k) throw new InvalidArgumentError(`expected one of ${KEYS.map(cliName).join(', ')}, got '${v}'`);
  return k;
}

async function runMeta(name: MetaLearnerName, o: MetaCliOptions): Promise<void> {
  const which = cliName(name);
  const entry = META_LEARNERS[name];
  if (o.backend) backend.use(o.backend);
  if (o.threads !== undefined) backend.threads(o.threads);
  const extra = FLAGS.given(name, o);
  const tasks = (TASKS[o.task] as () => TaskDistribution)();
  const sizes = [tasks.inputDim, ...o.hidden, tasks.outputDim];
  const model = { sizes, activation: 'relu' as const };
  // Unset, the inner steps are the library's default for this learner.
  const innerSteps = o.innerSteps ?? entry.innerSteps;
  const learner = entry.create({
    model,
    innerLr: o.innerLr,
    innerSteps,
    optimizer: adam({ lr: o.metaLr }),
    ...(entry.learnsInnerLrs ? { lrOptimizer: adam({ lr: o.metaLr }) } : {}),
    ...extra,
  });
  const config = {
    command: `meta ${which}`,
    version: VERSION,
    backend: backend.current(),
    threads: backend.threads(),
    ...o,
    innerSteps,
    sizes,
  };
  const run = o.out ? await createRunDir(o.out, config) : undefined;
  const bar = createProgress({
    total: o.iterations,
    unit: 'iters',
    fields: [
      { key: 'pre', label: 'pre', digits: 3 },
      { key: 'post', label: 'post', digits: 3 },
    ],
    enabled: o.json ? false : undefined,
  });
  // Metrics: running means over windows of `every` iterations.
  const every = Math.max(1, Math.floor(o.iterations / 200));
  const curve: { iteration: number; preAdaptation: number; postAdaptation: number }[] = [];
  let sumPre = 0;
  let sumPost = 0;
  let n = 0;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const init = truncatedNormalInit(sizes, key(o.seed), 0.01);
  const t0 = performance.now();
  let params: Float32Array;
  try {
    params = await learner.train({
      tasks,
      iterations: o.iterations,
      metaBatch: o.metaBatch,
      shots: o.shots,
      seed: o.seed,
      init,
      signal: controller.signal,
      onProgress: (p) => {
        sumPre += p.lossPre;
        sumPost += p.lossPost;
        n++;
        if (p.iteration % every === 0 || p.iteration === p.iterations) {
          const row = { iteration: p.iteration, preAdaptation: sumPre / n, postAdaptation: sumPost / n };
          curve.push(row);
          run?.appendMetrics({ ...row, seconds: p.elapsedMs / 1000 });
          bar.update(p.iteration, { pre: row.preAdaptation, post: row.postAdaptation });
          sumPre = 0;
          sumPost = 0;
          n = 0;
        }
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const ev = learner.evaluate(params, { tasks, count: o.evalTasks, shots: o.shots, steps: 10, seed: 424242 });
  const result = {
    learner: which,
    iterations: curve.at(-1)?.iteration ?? 0,
    seconds: Number(seconds.toFixed(2)),
    iterationsPerSecond: Number(((curve.at(-1)?.iteration ?? 0) / seconds).toFixed(1)),
    evalTasks: o.evalTasks,
    mse: { 0: ev.mean[0], 1: ev.mean[1], 10: ev.mean[10] },
    ci95: { 0: ev.ci95[0], 1: ev.ci95[1], 10: ev.ci95[10] },
  };
  if (run) {
    await writeLineChart(run.file(RUN_FILES.curve), curve, {
      x: 'iteration',
      y: ['preAdaptation', 'postAdaptation'],
      title: `${which} on ${o.task}: query loss before and after adaptation`,
      yTitle: 'query loss',
      logY: true,
    });
    if (tasks.truth) {
      // One held-out task: K support points, the adapted fit and the ground truth on a grid.
      const t = tasks.sample(key(o.seed + 7), 1, o.shots, 0);
      const adapted = learner.adapt(params, { x: t.supportX, y: t.supportY }, { steps: 10 });
      const grid = Float32Array.from({ length: 101 }, (_, i) => -5 + i / 10);
      const truth = tasks.truth(t.taskParams, grid);
      const { getBackend } = await import('../../backend/index.js');
      const { ACTIVATION_CODES } = await import('../../nn/activations.js');
      const yFit = new Float32Array(101);
      const yInit = new Float32Array(101);
      const b = getBackend();
      const s32 = Int32Array.from(sizes);
      b.mlpForward(s32, ACTIVATION_CODES.relu, 0, adapted, grid, 101, yFit);
      b.mlpForward(s32, ACTIVATION_CODES.relu, 0, params, grid, 101, yInit);
      const rows = Array.from(grid, (x, i) => ({ x, truth: truth[i], adapted10Steps: yFit[i], metaInit: yInit[i] }));
      await writeLineChart(run.file('fit.svg'), rows, {
        x: 'x',
        y: ['truth', 'adapted10Steps', 'metaInit'],
        title: `${which}: fit after 10 steps on ${o.shots} points`,
        yTitle: 'y',
      });
    }
    await saveCheckpoint(run.file(RUN_FILES.checkpoint), {
      kind: `meta.${which}`,
      meta: { sizes, activation: 'relu', task: o.task, iterations: result.iterations, innerLr: o.innerLr },
      arrays: { params, innerLrs: learner.innerLrs() },
    });
  }
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    process.stdout.write(
      `${which} on ${o.task}: ${result.iterations} iterations in ${result.seconds} s (${result.iterationsPerSecond}/s, ${backend.current()})\n` +
        `held-out MSE over ${o.evalTasks} tasks after 0 / 1 / 10 steps: ` +
        `${ev.mean[0]?.toFixed(3)} / ${ev.mean[1]?.toFixed(3)} / ${ev.mean[10]?.toFixed(3)}\n` +
        (o.out ? `run folder: ${o.out}\n` : ''),
    );
}

export function registerMetaCommand(program: Command): void {
  const cmd = program
    .command('meta')
    .description('meta-train one of the gradient-based meta-learners listed below on a task family')
    .addHelpText(
      'after',
      `\nLearners:\n${KEYS.map((k) => `  ${cliName(k).padEnd(9)} ${META_LEARNERS[k].summary}`).join('\n')}`,
    )
    .argument('<learner>', `one of ${KEYS.map(cliName).join(', ')}`, learnerNamed)
    .addOption(new Option('--task <name>', 'task family').choices(Object.keys(TASKS)).default('sine'))
    .option('--iterations <n>', 'meta-iterations', parseInteger('--iterations', 1), 20_000)
    .option('--meta-batch <n>', 'tasks per meta-iteration', parseInteger('--meta-batch', 1), 25)
    .option('--shots <n>', 'support (and query) examples per task', parseInteger('--shots', 1), 10)
    .option('--inner-lr <x>', 'inner SGD step size', parseNumber('--inner-lr'), 0.01)
    .option('--inner-steps <n>', innerStepsHelp(), parseInteger('--inner-steps', 1))
    .option('--meta-lr <x>', 'Adam learning rate of the outer loop', parseNumber('--meta-lr'), 1e-3)
    .option('--hidden <widths>', 'hidden widths', parseIntegers('--hidden', 1), [40, 40])
    .option('--seed <n>', 'seed', parseInteger('--seed', 0), 0)
    .option('--eval-tasks <n>', 'held-out tasks for the final evaluation', parseInteger('--eval-tasks', 1), 600)
    .option('--out <dir>', 'run folder')
    .option('--json', 'print one JSON object')
    .addOption(new Option('--backend <name>', 'backend').choices(['native', 'js']))
    .option('--threads <n>', 'native threads', parseInteger('--threads', 1));
  FLAGS.addTo(cmd);
  cmd.action(async (name: MetaLearnerName, opts: MetaCliOptions) => {
    await runMeta(name, opts);
  });
}
