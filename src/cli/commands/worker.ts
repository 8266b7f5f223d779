// `outerloop worker --redis redis://127.0.0.1:6379 [--concurrency N] [--module ./fitness.mjs]`:
// serves evaluation jobs from the BullMQ queue until SIGINT/SIGTERM (then finishes its running
// jobs and disconnects). Prints one "ready" line on stdout once connected, then a line per
// rejected or failed job on stderr.
import type { Command } from 'commander';
import { parseInteger } from '../flags.js';

interface WorkerCliOptions {
  redis: string;
  queue?: string;
  concurrency: number;
  module: string[];
  lockMs: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('serve cluster evaluation jobs from a BullMQ queue on Redis (see evo.optimize({ cluster }))')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name (default outerloop-evaluate)')
    .option('--concurrency <n>', 'jobs run at once', parseInteger('--concurrency', 1, 1024), 1)
    .option(
      '--module <path>',
      'a fitness module jobs may name (repeatable; without it any absolute path is allowed)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--lock-ms <ms>',
      'job lock duration; a dead worker’s job is retried after about this',
      parseInteger('--lock-ms', 100),
      4000,
    )
    .action(async (o: WorkerCliOptions) => {
      const { startWorker } = await import('../../cluster/worker.js');
      const worker = await startWorker({
        redis: o.redis,
        ...(o.queue !== undefined ? { queue: o.queue } : {}),
        concurrency: o.concurrency,
        ...(o.module.length ? { modules: o.module } : {}),
        lockMs: o.lockMs,
      });
      process.stdout.write(`outerloop worker ready (pid ${process.pid}, concurrency ${o.concurrency})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await worker.close();
      const s = worker.stats;
      process.stdout.write(
        `outerloop worker stopped: ${s.completed} completed, ${s.rejected} rejected, ${s.failed} failed\n`,
      );
    });
}
