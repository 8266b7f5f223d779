// The run folder every training command writes: config.json (what was asked for, written once),
// metrics.jsonl (one JSON object per update, appended as training goes, so a crashed or stopped
// run keeps its history), and whatever artifacts the command adds (curve.svg, a checkpoint).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OuterloopError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';

/** File names inside a run folder. */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  curve: 'curve.svg',
  checkpoint: 'checkpoint.olck',
} as const;

/** A metrics row: flat JSON numbers/strings (non-finite numbers are written as null). */
export type MetricsRow = Record<string, number | string | boolean | null | undefined>;

export interface RunDir {
  /** The folder's path. */
  readonly dir: string;
  /** Path of a file inside the folder. */
  file(name: string): string;
  /** Appends one line to metrics.jsonl. */
  appendMetrics(row: MetricsRow): void;
}

function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * Creates (or reuses) `dir`, writes config.json atomically and starts an empty metrics.jsonl.
 * An existing run's metrics are replaced: one folder holds one run.
 */
export async function createRunDir(dir: string, config: unknown): Promise<RunDir> {
  await fs.promises.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, RUN_FILES.config), `${JSON.stringify(config, finiteOrNull, 2)}\n`);
  const metricsPath = path.join(dir, RUN_FILES.metrics);
  await fs.promises.writeFile(metricsPath, '');
  return runDirAt(dir);
}

function runDirAt(dir: string): RunDir {
  const metricsPath = path.join(dir, RUN_FILES.metrics);
  return {
    dir,
    file: (name) => path.join(dir, name),
    appendMetrics(row) {
      // One synchronous append per line: a line is never interleaved or half-written on a stop.
      fs.appendFileSync(metricsPath, `${JSON.stringify(row, finiteOrNull)}\n`);
    },
  };
}

/**
 * Reopens an existing run folder to continue it: rewrites config.json and keeps the metrics rows
 * up to update `throughUpdate` (those of the checkpoint being resumed; rows a killed process
 * appended after its last checkpoint are dropped, as is a torn last line), then appends.
 */
export async function reopenRunDir(dir: string, config: unknown, throughUpdate: number): Promise<RunDir> {
  const all = fs.existsSync(path.join(dir, RUN_FILES.metrics)) ? await readMetrics(dir) : [];
  const rows = all.filter((r) => typeof r.update === 'number' && r.update <= throughUpdate);
  await writeFileAtomic(path.join(dir, RUN_FILES.metrics), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await writeFileAtomic(path.join(dir, RUN_FILES.config), `${JSON.stringify(config, finiteOrNull, 2)}\n`);
  return runDirAt(dir);
}

/** Reads a run's config.json. */
export async function readRunConfig(dir: string): Promise<unknown> {
  const file = path.join(dir, RUN_FILES.config);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    throw new OuterloopError(`${dir}: not a run folder (no ${RUN_FILES.config})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new OuterloopError(`${file}: not valid JSON`);
  }
}

/** Reads a run's metrics.jsonl; a torn last line (a killed process) is skipped. */
export async function readMetrics(dir: string): Promise<MetricsRow[]> {
  const text = await fs.promises.readFile(path.join(dir, RUN_FILES.metrics), 'utf8');
  const rows: MetricsRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as MetricsRow);
    } catch {
      // only a final partial line can be unparseable; the rest were appended whole
    }
  }
  return rows;
}
