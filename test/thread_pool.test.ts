// The native thread pool under many back-to-back jobs of varying size, with Promise-returning
// jobs (on libuv threads) interleaved with synchronous ones (on the JS thread).
import { describe, expect, it } from 'vitest';
import { nativeBackend, paritySuite } from './helpers/backends.js';

describe.skipIf(!nativeBackend)(paritySuite('thread pool'), () => {
  it('gives the same reductions over thousands of short jobs, and async and sync jobs do not interfere', async () => {
    const n = nativeBackend!;
    const before = n.threads();
    n.threads(2);
    const x = new Float32Array(1 << 20);
    n.randomNormal(new Uint32Array([1, 2]), 0, x);
    const partial = Array.from({ length: 64 }, (_, k) => n.sum(x.subarray(0, 4096 * (k + 1))));
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = i % 64;
      if (n.sum(x.subarray(0, 4096 * (k + 1))) !== partial[k]) mismatches++;
    }
    expect(mismatches).toBe(0);

    const asyncOut = Array.from({ length: 50 }, () => new Float32Array(1 << 16));
    const syncOut = new Float32Array(1 << 16);
    const pending = asyncOut.map((out, i) => n.randomNormalAsync(new Uint32Array([3, i]), 0, out));
    for (let i = 0; i < 50; i++) n.randomNormal(new Uint32Array([4, i]), 0, syncOut);
    await Promise.all(pending);
    const check = new Float32Array(1 << 16);
    for (let i = 0; i < 50; i += 7) {
      n.randomNormal(new Uint32Array([3, i]), 0, check);
      expect(asyncOut[i]).toEqual(check);
    }
    n.threads(before);
  });
});
