// Reads run folders (the ones `outerloop train`, `meta` and `evo` write: config.json plus
// metrics.jsonl, see cli/run_dir.ts) into plain objects the report assembles. Reading is the only
// file-system step of the report; everything after it is pure data (assemble.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MetricsRow, RUN_FILES, readMetrics, readRunConfig } from '../cli/run_dir.js';
import { OuterloopError } from '../errors.js';

/** What wrote a run folder: `train` (rl), `meta`, `evo`, or something the report only lists. */
export type RunKind = 'rl' | 'meta' | 'evo' | 'other';

/** One cell of a quality-diversity archive: a 2-D behaviour descriptor and its fitness. */
export interface ArchiveCell {
  x: number;
  y: number;
  fitness: number;
}

/** A run folder as the report sees it. */
export interface LoadedRun {
  /** The folder as given. */
  dir: string;
  /** A short unique name (the folder's base name, made unique among the runs). */
  name: string;
  kind: RunKind;
  config: Record<string, unknown>;
  metrics: MetricsRow[];
  /** Cells of `archive.jsonl` when the folder has one (rows `{"descriptor": [x, y], "fitness": f}`). */
  archive?: ArchiveCell[];
}

/** The optional archive file of an evolution run. */
export const ARCHIVE_FILE = 'archive.jsonl';

/** Which command wrote a config.json, from the keys each command records. */
export function runKind(config: Record<string, unknown>): RunKind {
  if (typeof config.algo === 'string') return 'rl';
  if (typeof config.command === 'string' && config.command.startsWith('meta ')) return 'meta';
  if (typeof config.strategy === 'string') return 'evo';
  return 'other';
}

function readArchive(file: string): ArchiveCell[] {
  const cells: ArchiveCell[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let row: { descriptor?: unknown; fitness?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      continue; // a torn last line, as in metrics.jsonl
    }
    const d = row.descriptor;
    if (Array.isArray(d) && typeof d[0] === 'number' && typeof d[1] === 'number' && typeof row.fitness === 'number')
      cells.push({ x: d[0], y: d[1], fitness: row.fitness });
  }
  return cells;
}

/** Reads the run folders `dirs`; a folder without config.json or metrics.jsonl is an OuterloopError. */
export async function loadRuns(dirs: readonly string[]): Promise<LoadedRun[]> {
  if (!Array.isArray(dirs) || dirs.length === 0) throw new RangeError('dirs: expected at least one run folder');
  const runs: LoadedRun[] = [];
  const used = new Map<string, number>();
  for (const dir of dirs) {
    const config = await readRunConfig(dir);
    if (config === null || typeof config !== 'object' || Array.isArray(config))
      throw new OuterloopError(`${dir}: ${RUN_FILES.config} is not a JSON object`);
    if (!fs.existsSync(path.join(dir, RUN_FILES.metrics)))
      throw new OuterloopError(`${dir}: not a run folder (no ${RUN_FILES.metrics})`);
    const metrics = await readMetrics(dir);
    // Two folders with one base name (a/run, b/run) get a suffix, so names stay unique.
    const base = path.basename(path.resolve(dir));
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const name = seen === 0 ? base : `${base}#${seen + 1}`;
    const archiveFile = path.join(dir, ARCHIVE_FILE);
    const cfg = config as Record<string, unknown>;
    runs.push({
      dir,
      name,
      kind: runKind(cfg),
      config: cfg,
      metrics,
      ...(fs.existsSync(archiveFile) ? { archive: readArchive(archiveFile) } : {}),
    });
  }
  return runs;
}
