// The learned optimizer's fused step (learnedMlpStep: accumulators, 39 features, [32, 32] MLP,
// d·exp(m) update) in params/s, native vs js, and GFLOP/s counted at the nominal MLP cost
// 2·(39·32 + 32·32 + 32·2) = 4,608 FLOPs per parameter (the "≈ 5k"; the kernel folds the
// 6 duplicate and 11 time features into the first layer, so it executes ≈ 3,970 of them).
import { learned } from '../src/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const NOMINAL_FLOPS = 2 * (39 * 32 + 32 * 32 + 32 * 2);

const suite: BenchSuite = {
  name: 'learned',
  run(ctx) {
    const rows: BenchRow[] = [];
    const n = 1e6;
    const lo = learned.mlpOptimizer({ hidden: [32, 32] });
    const theta = lo.init(0);
    const widths = Int32Array.from([39, 32, 32, 2]);
    const segments = Uint32Array.from([0, n]);
    const multipliers = Float32Array.from([1]);
    for (const [impl, b] of ctx.backends) {
      const p = new Float32Array(n);
      const g = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        p[i] = Math.sin(i);
        g[i] = 1e-3 * Math.cos(3 * i);
      }
      const acc = new Float32Array(7 * n);
      const scalars = { count: 10, stepMult: 1e-3, expMult: 1e-3 };
      const ms = ctx.time(() => b.learnedMlpStep(p, g, acc, theta, widths, segments, multipliers, scalars), {
        minRuns: impl === 'js' ? 2 : 5,
        warmup: 1,
      });
      const rate = n / (ms / 1e3);
      rows.push({
        case: 'learned mlp step [32,32] 1e6',
        impl,
        medianMs: ms,
        rate,
        rateUnit: 'params/s',
        extra: { gflops: (rate * NOMINAL_FLOPS) / 1e9, threads: b.threads() },
      });
    }
    return rows;
  },
};

export default suite;
