// `outerloop report`: one self-contained HTML page comparing run folders.
import { writeFileAtomic } from '../io/atomic.js';
import { assembleReport, type ReportData } from './assemble.js';
import { renderReportHtml } from './html.js';
import { readVegaScripts } from './libs.js';
import { loadRuns } from './runs.js';

export type { ReportData } from './assemble.js';
export { assembleReport } from './assemble.js';
export { loadRuns } from './runs.js';

/** Reads the run folders `dirs` and writes the report page to `out`; returns what it plotted. */
export async function writeReport(dirs: readonly string[], out: string): Promise<ReportData> {
  const data = assembleReport(await loadRuns(dirs));
  await writeFileAtomic(out, renderReportHtml(data, readVegaScripts()));
  return data;
}
