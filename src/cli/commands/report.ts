// `outerloop report RUN_DIR… --out report.html`: one self-contained HTML page (vega inlined, no
// server, no network) comparing run folders of `train`, `meta` and `evo`: learning curves with
// seed bands (runs grouped by configuration minus the seed), hyperparameter tables,
// pre/post-adaptation curves and archives.
import type { Command } from 'commander';
import { writeReport } from '../../report/index.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML page comparing run folders (curves with seed bands, hyperparameters)')
    .argument('<dirs...>', 'run folders written by train, meta or evo')
    .option('--out <file>', 'the HTML file to write', 'report.html')
    .option('--json', 'print one JSON summary line')
    .action(async (dirs: string[], o: { out: string; json?: boolean }) => {
      const data = await writeReport(dirs, o.out);
      const points = data.panels.reduce((n, p) => n + p.points.length, 0);
      const summary = {
        out: o.out,
        runs: data.runs.length,
        groups: data.groups.length,
        charts: data.panels.length + data.archives.length,
        points,
      };
      if (o.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        process.stdout.write(
          `${o.out}: ${summary.runs} runs in ${summary.groups} groups, ${summary.charts} charts (${points} points)\n`,
        );
    });
}
