// `outerloop eval DIR`: loads a run's checkpoint (or a checkpoint file) and reports the mean and
// std of the return over N episodes, with the episode lengths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { backend } from '../../backend/index.js';
import { learnerFromCheckpoint, metaRlKind } from '../../metarl/maml/from_checkpoint.js';
import { evaluate } from '../../rl/evaluate.js';
import { Policy } from '../../rl/policy.js';
import { parseInteger } from '../flags.js';
import { RUN_FILES } from '../run_dir.js';

interface EvalOptions {
  episodes: number;
  seed: number;
  env?: string;
  stochastic?: boolean;
  json?: boolean;
  backend?: 'native' | 'js';
  tasks: number;
  pretrain?: number;
}

/** What `eval --json` prints. */
export interface EvalSummary {
  checkpoint: string;
  env: string;
  episodes: number;
  seed: number;
  deterministic: boolean;
  meanReturn: number;
  stdReturn: number;
  meanLength: number;
  minLength: number;
  maxLength: number;
  lengths: number[];
}

/** The checkpoint a run folder holds, or the path itself when it is a file. */
export function checkpointPath(target: string): string {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  return stat?.isDirectory() ? path.join(target, RUN_FILES.checkpoint) : target;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description("evaluate a run's policy: mean and std of the return over N episodes")
    .argument('<dir>', 'run folder (or a checkpoint file)')
    .option('--episodes <n>', 'episodes to run', parseInteger('--episodes', 1), 100)
    .option('--seed <n>', 'seed of the evaluation envs', parseInteger('--seed', 0), 0)
    .option('--env <id>', 'environment (default: the one it was trained on)')
    .option('--stochastic', 'sample actions instead of taking the greedy one')
    .option('--json', 'print one JSON object')
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['native', 'js']))
    .option('--tasks <n>', 'meta-rl runs: held-out tasks', parseInteger('--tasks', 1), 40)
    .option(
      '--pretrain <iterations>',
      'meta-rl runs: also the multi-task baseline, trained here',
      parseInteger('--pretrain', 0),
    )
    .action(async (dir: string, o: EvalOptions) => {
      if (o.backend) backend.use(o.backend);
      const file = checkpointPath(dir);
      const kind = await metaRlKind(file);
      if (kind) {
        // A metaRl.maml / metaRl.reptile run: held-out return after 0–3 adaptation steps (the
        // config's episodes per task and step), beside a random initialization adapted the same way.
        const { learner, state } = await learnerFromCheckpoint(file, kind);
        const ev = await learner.evaluate(state.params, {
          tasks: o.tasks,
          seed: o.seed,
          baselines: { random: true, pretrained: o.pretrain !== undefined ? { iterations: o.pretrain } : false },
        });
        const summary = { checkpoint: file, kind, env: String(state.config.env), iteration: state.iteration, ...ev };
        if (o.json) {
          process.stdout.write(`${JSON.stringify(summary)}\n`);
          return;
        }
        const fmt = (r: { mean: number; ci95: number }[] | undefined) =>
          r ? r.map((x) => `${x.mean.toFixed(2)} ± ${x.ci95.toFixed(2)}`).join(' | ') : '';
        process.stdout.write(
          `${summary.env} (${kind}, iteration ${state.iteration}): held-out return after ${ev.steps.join('/')} steps over ${ev.tasks} tasks\n` +
            `  meta-learned: ${fmt(ev.meta)}\n  random init:  ${fmt(ev.random)}\n` +
            (ev.pretrained ? `  multi-task:   ${fmt(ev.pretrained)}\n` : ''),
        );
        return;
      }
      const policy = await Policy.load(file);
      const r = await evaluate(policy, {
        episodes: o.episodes,
        seed: o.seed,
        deterministic: !o.stochastic,
        ...(o.env ? { env: o.env } : {}),
      });
      const summary: EvalSummary = {
        checkpoint: file,
        env: o.env ?? policy.info.env,
        episodes: r.returns.length,
        seed: o.seed,
        deterministic: !o.stochastic,
        meanReturn: r.meanReturn,
        stdReturn: r.stdReturn,
        meanLength: r.lengths.reduce((s, x) => s + x, 0) / r.lengths.length,
        minLength: Math.min(...r.lengths),
        maxLength: Math.max(...r.lengths),
        lengths: r.lengths,
      };
      if (o.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      process.stdout.write(
        `${summary.env}: mean return ${summary.meanReturn.toFixed(2)} ± ${summary.stdReturn.toFixed(2)} over ${summary.episodes} episodes ` +
          `(length mean ${summary.meanLength.toFixed(1)}, min ${summary.minLength}, max ${summary.maxLength}; ` +
          `${summary.deterministic ? 'greedy' : 'sampled'} actions, seed ${summary.seed})\n`,
      );
    });
}
