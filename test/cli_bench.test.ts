// `outerloop bench`: the CLI runs a suite and reports native and js medians (the claim in the
// README's CLI row). One quick suite, results written to a scratch folder, not bench/results.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeBackend } from './helpers/backends.js';

const out = mkdtempSync(join(tmpdir(), 'outerloop-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Row {
  case: string;
  impl: string;
  medianMs: number;
}

describe('outerloop bench', () => {
  it('runs a suite with --quick --json --out and reports a median per case and backend', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run.ts', 'bench', 'vector', '--quick', '--json', '--out', out],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      quick: boolean;
      suites: Record<string, Row[]>;
    };
    expect(summary.quick).toBe(true);
    const rows = summary.suites.vector as Row[];
    const impls = new Set(rows.map((row) => row.impl));
    expect(impls.has('js')).toBe(true);
    if (nativeBackend) expect(impls.has('native')).toBe(true);
    for (const row of rows) expect(row.medianMs).toBeGreaterThan(0);
    // The per-suite file went to --out.
    const written = JSON.parse(readFileSync(join(out, 'vector.json'), 'utf8')) as { rows: Row[] };
    expect(written.rows.length).toBe(rows.length);
  }, 120_000);
});
