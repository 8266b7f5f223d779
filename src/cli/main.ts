// The `outerloop` command. Subcommands live in their own files under src/cli/commands/.
import { Command } from 'commander';
import { backend } from '../backend/index.js';
import { VERSION } from '../version.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerEnvsCommand } from './commands/envs.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerEvoCommand } from './commands/evo.js';
import { registerExportCommand } from './commands/export.js';
import { registerLearnCommand } from './commands/learn.js';
import { registerMetaCommand } from './commands/meta.js';
import { registerMetaRlCommand } from './commands/meta_rl.js';
import { registerReportCommand } from './commands/report.js';
import { registerTrainCommand } from './commands/train.js';
import { registerWorkerCommand } from './commands/worker.js';

export function buildProgram(): Command {
  const program = new Command();
  program.name('outerloop').description('meta-learning, meta-RL and optimization for Node.js').version(VERSION);

  program
    .command('info')
    .description('print the backend, version, threads and instruction set in use')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const info = backend.info();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      process.stdout.write(
        `outerloop ${info.version}\n` +
          `backend  ${info.name}\n` +
          `threads  ${info.threads}\n` +
          `simd     ${info.simd}\n` +
          `cuda     ${info.cuda ? 'yes' : 'no'}\n`,
      );
    });

  registerTrainCommand(program);
  registerEvalCommand(program);
  registerExportCommand(program);
  registerEnvsCommand(program);
  registerMetaCommand(program);
  registerMetaRlCommand(program);
  registerLearnCommand(program);
  registerEvoCommand(program);
  registerBenchCommand(program);
  registerWorkerCommand(program);
  registerReportCommand(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
