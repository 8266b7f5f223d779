// `outerloop bench [--quick] [--json] [--out DIR] [names...]`: runs the benchmark suites under bench/ (a
// source checkout; the suites are TypeScript run through tsx) and prints the native vs js table.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../backend/native/addon.js';
import { OuterloopError } from '../../errors.js';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run the native vs js benchmarks (from a source checkout)')
    .argument('[names...]', 'suites to run (file names under bench/ without .bench.ts)')
    .option('--quick', 'fewer sizes, shorter timing windows')
    .option('--json', 'print one JSON object instead of the table')
    .option('--out <dir>', 'where the per-suite JSON results go (default bench/results)')
    .action((names: string[], opts: { quick?: boolean; json?: boolean; out?: string }) => {
      const root = packageRoot();
      const runner = join(root, 'bench', 'run.ts');
      if (!existsSync(runner))
        throw new OuterloopError('bench: the benchmark suites ship with the source checkout only');
      if (!existsSync(join(root, 'node_modules', 'tsx')))
        throw new OuterloopError('bench: needs the dev dependency tsx (run `npm ci` in the checkout)');
      // --import resolves 'tsx' from the working directory, the checkout.
      const args = ['--import', 'tsx', runner, ...names];
      if (opts.quick) args.push('--quick');
      if (opts.json) args.push('--json');
      if (opts.out !== undefined) args.push('--out', resolve(opts.out));
      const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
      process.exitCode = r.status ?? 1;
    });
}
