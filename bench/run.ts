// `npm run bench [-- --quick] [-- --json] [names...]`: runs bench/*.bench.ts, prints a table of
// medians with each implementation's ratio to js, and writes <out>/<name>.json (`--out DIR`,
// default bench/results).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { backend } from '../src/index.js';
import { type BenchRow, type BenchSuite, createContext } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const outAt = args.indexOf('--out');
const outDir = outAt >= 0 ? (args[outAt + 1] as string) : join(here, 'results');
const only = args.filter((a, i) => !a.startsWith('--') && !(outAt >= 0 && i === outAt + 1));

function fmtRate(r: number | undefined, unit: string | undefined): string {
  if (r === undefined) return '';
  const abs = Math.abs(r);
  const s =
    abs >= 1e9
      ? `${(r / 1e9).toFixed(2)} G`
      : abs >= 1e6
        ? `${(r / 1e6).toFixed(2)} M`
        : abs >= 1e3
          ? `${(r / 1e3).toFixed(2)} k`
          : `${r.toFixed(2)} `;
  return `${s}${unit ?? ''}`;
}

function printTable(suite: string, rows: BenchRow[]): void {
  const out: string[][] = [['case', 'impl', 'median ms', 'rate', 'vs js']];
  for (const row of rows) {
    const js = rows.find((r) => r.case === row.case && r.impl === 'js');
    const ratio = js && row.impl !== 'js' ? `${(js.medianMs / row.medianMs).toFixed(1)}×` : '';
    out.push([row.case, row.impl, row.medianMs.toPrecision(4), fmtRate(row.rate, row.rateUnit), ratio]);
  }
  const widths = out[0]!.map((_, c) => Math.max(...out.map((r) => (r[c] ?? '').length)));
  process.stdout.write(`\n## ${suite}\n`);
  for (const r of out) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}\n`);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace('.bench.ts', '')))
  .sort();
const ctx = createContext(quick);
const info = backend.info();
if (!json)
  process.stdout.write(
    `outerloop ${info.version} · native simd ${info.simd} · threads ${info.threads}${quick ? ' · quick' : ''}\n`,
  );
mkdirSync(outDir, { recursive: true });
const all: Record<string, BenchRow[]> = {};
for (const f of files) {
  const suite = (await import(pathToFileURL(join(here, f)).href)).default as BenchSuite;
  const rows = await suite.run(ctx);
  all[suite.name] = rows;
  writeFileSync(
    join(outDir, `${suite.name}.json`),
    `${JSON.stringify({ suite: suite.name, date: new Date().toISOString(), info, quick, rows }, null, 2)}\n`,
  );
  if (!json) printTable(suite.name, rows);
}
if (json) process.stdout.write(`${JSON.stringify({ info, quick, suites: all })}\n`);
