// RNG throughput and the vector basics over 1e6 and 1e7 floats, native vs js, with GB/s
// counted as explicit loads + stores.
import type { BenchRow, BenchSuite } from './harness.js';

const suite: BenchSuite = {
  name: 'vector',
  run(ctx) {
    const rows: BenchRow[] = [];
    const sizes = ctx.quick ? [1e6] : [1e6, 1e7];
    const key = new Uint32Array([1, 2]);
    for (const n of sizes) {
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      const bits = new Uint32Array(n);
      ctx.backends[0]![1].randomNormal(key, 0, x);
      ctx.backends[0]![1].randomNormal(key, 1e9, y);
      const label = n.toExponential(0).replace('+', '');
      for (const [impl, b] of ctx.backends) {
        const cases: [string, () => void, number][] = [
          ['random bits', () => b.randomBits(key, 0, bits), 4],
          ['random uniform', () => b.randomUniform(key, 0, y), 4],
          ['random normal', () => b.randomNormal(key, 0, y), 4],
          ['axpy', () => b.axpy(1e-7, x, y), 12],
          ['scale', () => b.scale(1.0000001, y), 8],
          ['dot', () => void b.dot(x, y), 8],
          ['sum', () => void b.sum(x), 4],
          ['sumSquares', () => void b.sumSquares(x), 4],
        ];
        for (const [name, fn, bytes] of cases) {
          const ms = ctx.time(fn, { minRuns: impl === 'js' && n >= 1e7 ? 3 : 5 });
          rows.push({
            case: `${name} ${label}`,
            impl,
            medianMs: ms,
            rate: n / (ms / 1e3),
            rateUnit: 'elem/s',
            extra: { GBps: (n * bytes) / (ms / 1e3) / 1e9, threads: b.threads() },
          });
        }
      }
    }
    return rows;
  },
};
export default suite;
