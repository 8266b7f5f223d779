// Archives as rows of `archive.jsonl`, the file `outerloop report` draws (src/report/runs.ts reads
// `{"descriptor": [x, y], "fitness": f}`; the other fields are for other readers): a MAP-Elites grid
// archive's occupied cells, or SERENE's reward archive (with fitness) and novelty archive (without).
import { writeFileAtomic } from '../io/atomic.js';
import type { GridArchive } from './grid_archive.js';
import type { SereneResult } from './serene.js';

/** One row of `archive.jsonl`. */
export interface ArchiveRow {
  /** The behaviour descriptor. */
  descriptor: number[];
  /** The elite's objective (reward for SERENE); null for a novelty-archive entry, which has none. */
  fitness: number | null;
  /** Grid cell per descriptor dimension (grid archives only). */
  cell?: number[];
  /** Which SERENE archive the row is from. */
  archive?: 'reward' | 'novelty';
}

/** The occupied cells of a grid archive, in cell order, with their grid coordinates. */
export function gridArchiveRows(a: GridArchive): ArchiveRow[] {
  const k = a.dims.length;
  const rows: ArchiveRow[] = [];
  for (let c = 0; c < a.cells; c++) {
    const f = a.objectives[c] as number;
    if (f === Number.NEGATIVE_INFINITY) continue;
    // Row-major, the last dimension fastest (grid_archive's index).
    const cell = new Array<number>(k);
    let r = c;
    for (let j = k - 1; j >= 0; j--) {
      const d = a.dims[j] as number;
      cell[j] = r % d;
      r = Math.floor(r / d);
    }
    rows.push({ descriptor: Array.from(a.descriptors.subarray(c * k, (c + 1) * k)), fitness: f, cell });
  }
  return rows;
}

/** SERENE's reward archive (fitness = reward) and novelty archive (fitness null) as rows. */
export function sereneArchiveRows(r: SereneResult, descriptorDim: number): ArchiveRow[] {
  const rows: ArchiveRow[] = [];
  const d = r.rewardArchive.descriptors;
  r.rewardArchive.rewards.forEach((f, i) => {
    rows.push({
      descriptor: Array.from(d.subarray(i * descriptorDim, (i + 1) * descriptorDim)),
      fitness: f,
      archive: 'reward',
    });
  });
  for (let i = 0; i < r.archive.length / descriptorDim; i++)
    rows.push({
      descriptor: Array.from(r.archive.subarray(i * descriptorDim, (i + 1) * descriptorDim)),
      fitness: null,
      archive: 'novelty',
    });
  return rows;
}

/** Writes rows as `archive.jsonl` (atomically: a reader never sees half the file). */
export async function writeArchiveJsonl(file: string, rows: readonly ArchiveRow[]): Promise<void> {
  await writeFileAtomic(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
