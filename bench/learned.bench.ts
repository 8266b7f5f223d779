// The learned optimizer's fused step (learnedMlpStep: accumulators, 39 features, [32, 32] MLP,
// d·exp(m) update) in params/s, native (1 and 2 threads) vs js, with GFLOP/s counted at the nominal
// MLP cost 2·(39·32 + 32·32 + 32·2) = 4,608 FLOPs per parameter (the issue's "≈ 5k"; the kernel
// folds the 6 duplicate and 11 time features into the first layer, so it executes ≈ 3,970 of them)
// and the CPU time per call (process.cpuUsage, all threads: a loaded machine inflates wall time,
// not CPU time). Then PES meta-training throughput: inner steps per second across the population
// (population · truncation per outer iteration) of learned.train on the quadratic and MLP-regression
// families: on the quadratic family both the batched path (the whole population in one
// learnedQuadraticPopulation call per truncation, native threads over members; 1 and 2 threads)
// and the per-member path (batched: false: one learnedMlpStep call per particle and inner step from
// JS, on the calling thread); MLP regression has the per-member path only.
import { backend } from '../src/backend/index.js';
import type { Backend } from '../src/backend/types.js';
import { learned, optim, random } from '../src/index.js';
import type { BenchRow, BenchSuite } from './harness.js';
import { medianCpuMs } from './harness.js';

const NOMINAL_FLOPS = 2 * (39 * 32 + 32 * 32 + 32 * 2);

const suite: BenchSuite = {
  name: 'learned',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 2 ** 18 : 1e6;
    const lo = learned.mlpOptimizer({ hidden: [32, 32] });
    const theta = lo.init(0);
    const widths = Int32Array.from([39, 32, 32, 2]);
    const segments = Uint32Array.from([0, n]);
    const multipliers = Float32Array.from([1]);
    const runs: [string, string, number][] = [];
    for (const [impl] of ctx.backends)
      if (impl === 'native') runs.push(['native 1thr', impl, 1], ['native 2thr', impl, 2]);
      else runs.push([impl, impl, 1]);
    for (const [label, impl, threads] of runs) {
      const b = (ctx.backends.find(([i]) => i === impl) as [string, Backend])[1];
      const before = b.threads();
      if (impl === 'native') b.threads(threads);
      const p = new Float32Array(n);
      const g = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        p[i] = Math.sin(i);
        g[i] = 1e-3 * Math.cos(3 * i);
      }
      const acc = new Float32Array(7 * n);
      const scalars = { count: 10, stepMult: 1e-3, expMult: 1e-3 };
      const step = () => b.learnedMlpStep(p, g, acc, theta, widths, segments, multipliers, scalars);
      const slow = impl === 'js';
      const ms = ctx.time(step, { minRuns: slow ? 2 : 5, warmup: 1 });
      const cpu = medianCpuMs(step, slow ? 1 : 5);
      const rate = n / (ms / 1e3);
      rows.push({
        case: `learned mlp step [32,32] ${n === 1e6 ? '1e6' : n}`,
        impl: label,
        medianMs: ms,
        rate,
        rateUnit: 'params/s',
        extra: {
          gflops: (rate * NOMINAL_FLOPS) / 1e9,
          threads: b.threads(),
          cpuMsPerCall: cpu,
          paramsPerCpuSecond: n / (cpu / 1e3),
        },
      });
      if (impl === 'native') b.threads(before);
    }
    // The population kernel alone (learnedQuadraticPopulation: 64 members on 32 dim-8 quadratics, one
    // call = K = 10 inner steps of every member), before the estimator's per-pair JS work is added.
    {
      const M = 64;
      const d = 8;
      const K = 10;
      const T = M / 2;
      const tasks = learned.tasks.quadratic({ dim: d, noise: 0.1 }).sample(random.key(0), T);
      const q = new Float64Array(T * d * d);
      const centers = new Float64Array(T * d);
      tasks.forEach((t, i) => {
        q.set(t.q, i * d * d);
        centers.set(t.center, i * d);
      });
      const thetas = new Float32Array(M * lo.size);
      for (let m = 0; m < M; m++) thetas.set(lo.init(m), m * lo.size);
      const taskOf = Uint32Array.from({ length: M }, (_, m) => m >> 1);
      const z = random.normal(random.key(1), T * K * d);
      for (const [label, impl, threads] of runs) {
        const b = (ctx.backends.find(([i]) => i === impl) as [string, Backend])[1];
        const before = b.threads();
        if (impl === 'native') b.threads(threads);
        const params = new Float32Array(M * d);
        const acc = new Float32Array(M * 7 * d);
        const counts = new Float64Array(M);
        const losses = new Float64Array(M * (K + 1));
        const sc = { dim: d, steps: K, noise: 0.1, stepMult: 0.01, expMult: 0.001 };
        const call = () =>
          b.learnedQuadraticPopulation(params, acc, counts, thetas, widths, q, centers, taskOf, z, losses, sc);
        const ms = ctx.time(call, { minRuns: impl === 'js' ? 3 : 10, warmup: 1 });
        rows.push({
          case: `population kernel ${M} × K ${K}: quadratic dim ${d}`,
          impl: label,
          medianMs: ms,
          rate: (M * K) / (ms / 1e3),
          rateUnit: 'inner steps/s',
          extra: { population: M, truncation: K, threads: b.threads() },
        });
        if (impl === 'native') b.threads(before);
      }
    }
    // PES throughput: one outer iteration = population × truncation inner steps. On the quadratic
    // family learned.train advances the whole population in one learnedQuadraticPopulation call per
    // truncation (native: threaded over members); `batched: false` is the per-member path (each inner
    // step of each particle one learnedMlpStep call from JS, one after another on the calling thread).
    const was = backend.current();
    const families: [string, learned.TaskFamily, learned.LearnedOptimizer, boolean][] = [
      ['quadratic dim 8', learned.tasks.quadratic({ dim: 8, noise: 0.1 }), lo, true],
    ];
    const reg = learned.tasks.mlpRegression({ width: 32, depth: 2, inputs: 8, points: 64 });
    families.push([
      `mlpRegression w32 (${reg.sample(random.key(0), 1)[0]?.dim} params)`,
      reg,
      learned.mlpOptimizer({ hidden: [32, 32], layout: reg.layout }),
      false,
    ]);
    const P = 64;
    const K = 10;
    const iters = ctx.quick ? 2 : 5;
    for (const [name, fam, opt, canBatch] of families)
      for (const [impl, b] of ctx.backends)
        for (const batched of canBatch ? [true, false] : [false])
          for (const threads of impl === 'native' && batched ? [1, 2] : [0]) {
            backend.use(impl as 'native' | 'js');
            const before = b.threads();
            if (threads > 0) b.threads(threads);
            const once = async () => {
              await learned.train({
                optimizer: opt,
                tasks: fam,
                estimator: 'pes',
                iterations: iters,
                horizon: 50,
                truncation: K,
                population: P,
                outerOptimizer: optim.adam({ lr: 1e-3 }),
                seed: 0,
                batched,
              });
            };
            const ms = await ctx.timeAsync(once, { minRuns: impl === 'js' ? 1 : 3, warmup: 1 });
            if (threads > 0) b.threads(before);
            const steps = iters * P * K;
            const path = canBatch ? (batched ? ' batched' : ' per-member') : '';
            rows.push({
              case: `PES population ${P}, K ${K}: ${name}`,
              impl: `${impl}${path}${threads > 0 ? ` ${threads}thr` : ''}`,
              medianMs: ms / iters,
              rate: steps / (ms / 1e3),
              rateUnit: 'inner steps/s',
              extra: { population: P, truncation: K, batched: batched ? 1 : 0 },
            });
          }
    backend.use(was);
    return rows;
  },
};

export default suite;
