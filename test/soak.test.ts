// Soak of the Promise-returning native kernels (rolloutRunAsync, esRolloutPoliciesAsync,
// randomUniformAsync, randomNormalAsync; the meta kernels have no async form, so a
// metaGradBatch runs synchronously in between), in a child process started with --expose-gc:
// a fixed number of rounds, each launching a dozen concurrent async calls whose input buffers only
// the addon still references, while the JS thread makes synchronous calls of the same and other
// kernels, forces garbage collections and allocates garbage. Every async result must equal the
// synchronous result of the same inputs bit for bit, and every synchronous kernel must repeat its
// first result (test/fuzz/soak_child.mjs). A crash fails the test instead of killing the runner.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeBackend, paritySuite } from './helpers/backends.js';

interface SoakSummary {
  seed: number;
  rounds: number;
  asyncCalls: number;
  syncCalls: number;
  gcs: number;
  mismatches: string[];
}

const ROUNDS = 60;
const SEED = 20261203;

describe.skipIf(!nativeBackend)(paritySuite('native async soak'), () => {
  it('concurrent async calls under forced GC equal their synchronous results bit for bit', () => {
    const script = fileURLToPath(new URL('./fuzz/soak_child.mjs', import.meta.url));
    const r = spawnSync(process.execPath, ['--expose-gc', script, String(ROUNDS), String(SEED)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() as string) as SoakSummary;
    expect(summary.mismatches).toEqual([]);
    expect(summary.rounds).toBe(ROUNDS);
    expect(summary.asyncCalls).toBe(ROUNDS * 12);
    expect(summary.syncCalls).toBe(ROUNDS * 4);
    expect(summary.gcs).toBeGreaterThanOrEqual(ROUNDS * 4);
  });
});
