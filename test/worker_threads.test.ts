import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { nativeBackend, paritySuite } from './helpers/backends.js';

function runWorker(seed: number): Promise<number> {
  const script = fileURLToPath(new URL('./fuzz/worker_use.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: { seed, n: 200_000, repeats: 20 } });
    w.once('message', (m: { sum: number }) => resolve(m.sum));
    w.once('error', reject);
  });
}

describe.skipIf(!nativeBackend)(paritySuite('native addon in worker threads'), () => {
  it('loads in several workers at once and gives the same numbers as the main thread', async () => {
    const n = nativeBackend!;
    const sums = await Promise.all([runWorker(1), runWorker(2), runWorker(1)]);
    const out = new Float32Array(200_000);
    n.randomNormal(new Uint32Array([1, 0]), 0, out);
    expect(sums[0]).toBe(n.sum(out));
    expect(sums[2]).toBe(sums[0]);
    expect(sums[1]).not.toBe(sums[0]);
  });
});
