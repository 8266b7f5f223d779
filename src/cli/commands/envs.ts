// `outerloop envs`: the environments with their observation and action spaces.
import type { Command } from 'commander';
import type { Space } from '../../envs/index.js';
import * as envs from '../../envs/index.js';

function formatSpace(s: Space): string {
  if (s.type === 'discrete') return `Discrete(${s.n})`;
  const lo = Math.min(...s.low);
  const hi = Math.max(...s.high);
  const bound = (x: number) => (Math.abs(x) > 1e30 ? (x < 0 ? '-inf' : 'inf') : String(Number(x.toPrecision(4))));
  return `Box(${bound(lo)}, ${bound(hi)}, [${s.shape.join(', ')}])`;
}

export interface EnvRow {
  id: string;
  observationSpace: string;
  actionSpace: string;
  maxEpisodeSteps: number;
  rewardThreshold: number | null;
  taskDim: number;
}

/** One row per environment (what `outerloop envs` prints). */
export function envRows(): EnvRow[] {
  return envs.list().map((id) => {
    const s = envs.spec(id);
    return {
      id,
      observationSpace: formatSpace(s.observationSpace),
      actionSpace: formatSpace(s.actionSpace),
      maxEpisodeSteps: s.maxEpisodeSteps,
      rewardThreshold: s.rewardThreshold ?? null,
      taskDim: s.taskDim,
    };
  });
}

export function registerEnvsCommand(program: Command): void {
  program
    .command('envs')
    .description('list the environments with their observation and action spaces')
    .option('--json', 'print one JSON array')
    .action((opts: { json?: boolean }) => {
      const rows = envRows();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return;
      }
      const header = ['id', 'observation', 'action', 'max steps', 'solved at', 'task dim'];
      const table = rows.map((r) => [
        r.id,
        r.observationSpace,
        r.actionSpace,
        String(r.maxEpisodeSteps),
        r.rewardThreshold === null ? '-' : String(r.rewardThreshold),
        r.taskDim === 0 ? '-' : String(r.taskDim),
      ]);
      const widths = header.map((h, j) => Math.max(h.length, ...table.map((row) => (row[j] as string).length)));
      const line = (cells: string[]) =>
        `${cells
          .map((c, j) => c.padEnd(widths[j] as number))
          .join('  ')
          .trimEnd()}\n`;
      process.stdout.write(line(header));
      for (const row of table) process.stdout.write(line(row));
    });
}
