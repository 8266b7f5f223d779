// The benchmark harness. Each bench/<name>.bench.ts default-exports a BenchSuite; bench/run.ts
// runs them all (or those named on the command line), prints one table with native/js ratios
// and writes bench/results/<name>.json. Benchmarks measure; tests never assert on time.
import { backendByName } from '../src/backend/index.js';
import type { Backend } from '../src/backend/types.js';

/** One measured figure. Rows with the same `case` and `metric` are compared across `impl`. */
export interface BenchRow {
  /** What was measured, e.g. 'adam 1e7'. */
  case: string;
  /** Who ran it: 'native', 'js', or a reference ('naive-js', 'torch-1.13 (measured-here)'). */
  impl: string;
  /** Median time per call in milliseconds. */
  medianMs: number;
  /** Throughput derived from the median, e.g. 2.1e9. */
  rate?: number;
  /** Unit of `rate`, e.g. 'params/s', 'steps/s'. */
  rateUnit?: string;
  /** Any other figure worth keeping in the JSON (GB/s, GFLOP/s, threads, ...). */
  extra?: Record<string, number | string>;
}

export interface TimeOptions {
  /** Minimum measured runs (default 5). */
  minRuns?: number;
  /** Keep measuring until this much time has passed (default 300 ms; 60 ms with --quick). */
  minTimeMs?: number;
  /** Untimed warm-up runs (default 2). */
  warmup?: number;
}

export interface BenchContext {
  /** --quick: fewer sizes and shorter timing windows. */
  quick: boolean;
  /** Backends to compare: native (when it loads) and js. */
  backends: [string, Backend][];
  /** Median milliseconds per call of fn. */
  time(fn: () => void, opts?: TimeOptions): number;
  /** Median milliseconds per call of an async fn. */
  timeAsync(fn: () => Promise<void>, opts?: TimeOptions): Promise<number>;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): BenchRow[] | Promise<BenchRow[]>;
}

/** The median of xs (mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Median process CPU time per call in milliseconds (all threads together). On a shared machine
 * wall time includes waiting for other tenants; the CPU time of a 1-thread run is the steadier figure.
 */
export function medianCpuMs(fn: () => void, runs: number): number {
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / 1e3);
  }
  return median(xs);
}

export function createContext(quick: boolean): BenchContext {
  const backends: [string, Backend][] = [];
  const native = backendByName('native');
  if (native) backends.push(['native', native]);
  backends.push(['js', backendByName('js') as Backend]);
  const defaults = (o: TimeOptions = {}) => ({
    minRuns: o.minRuns ?? 5,
    minTimeMs: o.minTimeMs ?? (quick ? 60 : 300),
    warmup: o.warmup ?? 2,
  });
  return {
    quick,
    backends,
    time(fn, opts) {
      const o = defaults(opts);
      for (let i = 0; i < o.warmup; i++) fn();
      const times: number[] = [];
      const start = performance.now();
      while (times.length < o.minRuns || performance.now() - start < o.minTimeMs) {
        const t0 = performance.now();
        fn();
        times.push(performance.now() - t0);
        if (times.length >= 10_000) break;
      }
      return median(times);
    },
    async timeAsync(fn, opts) {
      const o = defaults(opts);
      for (let i = 0; i < o.warmup; i++) await fn();
      const times: number[] = [];
      const start = performance.now();
      while (times.length < o.minRuns || performance.now() - start < o.minTimeMs) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
        if (times.length >= 10_000) break;
      }
      return median(times);
    },
  };
}
