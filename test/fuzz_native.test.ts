// The native boundary under malformed input, in a child process (a crash fails the test instead
// of killing the runner): every export, thousands of argument lists from a fixed seed. Every
// failure must be a TypeError/RangeError whose message names the argument; an export that
// accepted garbage would show as a high share of calls that returned. CI also runs
// `npm run fuzz` (10,000 calls per export, a fresh seed printed for reproduction) and runs this
// file against the AddressSanitizer build (`npm run test:asan`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeBackend, paritySuite } from './helpers/backends.js';

interface FuzzSummary {
  seed: number;
  functions: number;
  calls: number;
  returned: number;
  typeErrors: number;
  rangeErrors: number;
  otherErrors: number;
  unclear: { name: string; message: string; args: string[] }[];
  perExport: Record<string, [number, number]>;
}

// Exports that take no arguments and always answer.
const NO_ARGUMENTS = new Set(['simd', 'cuda']);

describe.skipIf(!nativeBackend)(paritySuite('native boundary fuzz'), () => {
  it('survives malformed arguments to every exported function, failing with errors that name the argument', () => {
    const script = fileURLToPath(new URL('./fuzz/native_fuzz.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '1500', '20261203'], { encoding: 'utf8', timeout: 240_000 });
    // A crash (signal or abort) leaves no summary and a non-zero status.
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() as string) as FuzzSummary;
    expect(summary.seed).toBe(20261203);
    expect(summary.functions).toBeGreaterThan(60);
    expect(summary.calls).toBeGreaterThan(summary.functions * 1000);
    expect(summary.unclear).toEqual([]);
    expect(summary.otherErrors).toBe(0);
    expect(summary.returned + summary.typeErrors + summary.rangeErrors).toBe(summary.calls);
    // No export accepts most malformed lists (the garbage that happens to be valid is rare).
    const lenient = Object.entries(summary.perExport)
      .filter(([name, [calls, returned]]) => !NO_ARGUMENTS.has(name) && returned / calls > 0.25)
      .map(([name, [calls, returned]]) => `${name}: ${returned}/${calls} returned`);
    expect(lenient).toEqual([]);
  });
});
