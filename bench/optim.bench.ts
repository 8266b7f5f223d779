// Optimizer step throughput (params/s) for SGD, momentum, Adam, Lion and MADGRAD at 1e6 and 1e7
// parameters, native vs js, with this machine's memory bandwidth measured in the same run
// (STREAM copy and triad, and the vec axpy read-modify-write) and the fraction of it each step
// reaches, counting the minimum traffic of a fused in-place step (Adam 28 bytes per parameter).
import type { Backend } from '../src/backend/types.js';
import type { BenchRow, BenchSuite } from './harness.js';

const EMPTY = new Float32Array(0);

interface Rule {
  name: string;
  bytes: number;
  make(b: Backend, n: number): () => void;
}

const rules: Rule[] = [
  {
    name: 'sgd',
    bytes: 12,
    make: (b, n) => {
      const p = new Float32Array(n).fill(1);
      const g = new Float32Array(n).fill(1e-3);
      return () => b.optimSgd(p, g, 1e-3, 0);
    },
  },
  {
    name: 'momentum',
    bytes: 20,
    make: (b, n) => {
      const p = new Float32Array(n).fill(1);
      const g = new Float32Array(n).fill(1e-3);
      const buf = new Float32Array(n);
      return () => b.optimSgdMomentum(p, g, buf, 1e-3, 0.9, 0, 0, false, false);
    },
  },
  {
    name: 'adam',
    bytes: 28,
    make: (b, n) => {
      const p = new Float32Array(n).fill(1);
      const g = new Float32Array(n).fill(1e-3);
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const bc1 = 1 - 0.9 ** 10;
      const bc2 = 1 - 0.999 ** 10;
      const s = {
        b1: 0.9,
        b2: 0.999,
        eps: 1e-8,
        stepSize: 1e-3 / bc1,
        invBc2Sqrt: 1 / Math.sqrt(bc2),
        weightDecay: 0,
        decay: 1,
      };
      return () => b.optimAdam(p, g, m, v, EMPTY, s);
    },
  },
  {
    name: 'lion',
    bytes: 20,
    make: (b, n) => {
      const p = new Float32Array(n).fill(1);
      const g = new Float32Array(n).fill(1e-3);
      const m = new Float32Array(n);
      return () => b.optimLion(p, g, m, 1e-4, 0.9, 0.99, 1);
    },
  },
  {
    name: 'madgrad',
    bytes: 32,
    make: (b, n) => {
      const p = new Float32Array(n).fill(1);
      const g = new Float32Array(n).fill(1e-3);
      const s = new Float32Array(n);
      const nu = new Float32Array(n);
      const x0 = new Float32Array(n).fill(1);
      const sc = { lr: 1e-2, lamb: 1e-2 * Math.sqrt(10), eps: 1e-6, momentum: 0.9, weightDecay: 0, decoupled: false };
      return () => b.optimMadgrad(p, g, s, nu, x0, sc);
    },
  },
];

const suite: BenchSuite = {
  name: 'optim',
  run(ctx) {
    const rows: BenchRow[] = [];
    const sizes = ctx.quick ? [1e6] : [1e6, 1e7];
    for (const n of sizes) {
      const label = n.toExponential(0).replace('+', '');
      const runs = (impl: string) => ({ minRuns: impl === 'js' && n >= 1e7 ? 3 : 5 });
      // Bandwidth, same run, same thread pool: the best of copy, triad and axpy (rmw) per backend.
      const bw = new Map<string, number>();
      for (const [impl, b] of ctx.backends) {
        const a = new Float32Array(n);
        const x = new Float32Array(n).fill(1);
        const y = new Float32Array(n).fill(2);
        const cases: [string, () => void, number][] = [
          ['bandwidth copy', () => b.optimStreamCopy(a, x), 8],
          ['bandwidth triad', () => b.optimStreamTriad(a, x, y, 0.5), 12],
          ['bandwidth axpy (rmw)', () => b.axpy(1e-7, x, a), 12],
        ];
        let best = 0;
        for (const [name, fn, bytes] of cases) {
          const ms = ctx.time(fn, runs(impl));
          const gbps = (n * bytes) / (ms / 1e3) / 1e9;
          best = Math.max(best, gbps);
          rows.push({
            case: `${name} ${label}`,
            impl,
            medianMs: ms,
            rate: gbps * 1e9,
            rateUnit: 'B/s',
            extra: { GBps: gbps, threads: b.threads() },
          });
        }
        bw.set(impl, best);
      }
      const nativeBw = bw.get('native') ?? (bw.get('js') as number);
      for (const rule of rules) {
        for (const [impl, b] of ctx.backends) {
          const ms = ctx.time(rule.make(b, n), runs(impl));
          const gbps = (n * rule.bytes) / (ms / 1e3) / 1e9;
          rows.push({
            case: `${rule.name} ${label}`,
            impl,
            medianMs: ms,
            rate: n / (ms / 1e3),
            rateUnit: 'params/s',
            extra: {
              GBps: gbps,
              bytesPerParam: rule.bytes,
              // against the best bandwidth kernel of the native pool (the machine's limit here)
              fractionOfBandwidth: gbps / nativeBw,
              bandwidthGBps: nativeBw,
              threads: b.threads(),
            },
          });
        }
      }
    }
    return rows;
  },
};
export default suite;
