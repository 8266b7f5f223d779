import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeBackend, paritySuite } from './helpers/backends.js';

interface FuzzSummary {
  functions: number;
  calls: number;
  returned: number;
  typeErrors: number;
  rangeErrors: number;
  otherErrors: number;
  unclear: { name: string; message: string; args: string[] }[];
}

describe.skipIf(!nativeBackend)(paritySuite('native boundary fuzz'), () => {
  it('survives malformed arguments to every exported function, failing with clear errors', () => {
    const script = fileURLToPath(new URL('./fuzz/native-fuzz.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '1500'], { encoding: 'utf8', timeout: 240_000 });
    // A crash (signal or abort) leaves no summary and a non-zero status.
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() as string) as FuzzSummary;
    expect(summary.functions).toBeGreaterThan(10);
    expect(summary.calls).toBeGreaterThan(summary.functions * 1000);
    expect(summary.unclear).toEqual([]);
    expect(summary.typeErrors + summary.rangeErrors).toBeGreaterThan(0);
  });
});
