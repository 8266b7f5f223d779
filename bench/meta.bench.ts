// Meta-iterations of the sine setting (meta-batch 25, K = 10 support + 10 query, 1-40-40-1 ReLU,
// one inner step): the batched meta-gradient kernel, native vs js, second and first order, plus
// Reptile (5 steps) and iMAML (5 steps, 3 CG). References: PyTorch 1.13 on this machine
// (measured-here.md §3a, 1 thread).
import type { MetaGradScalars, MetaMode } from '../src/backend/kernels/meta.js';
import { truncatedNormalInit } from '../src/meta/init.js';
import { metaKernels } from '../src/meta/kernels.js';
import { sine } from '../src/meta/tasks/index.js';
import { key } from '../src/random/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const suite: BenchSuite = {
  name: 'meta',
  run(ctx) {
    const rows: BenchRow[] = [];
    const sizes = Int32Array.from([1, 40, 40, 1]);
    const params = truncatedNormalInit([1, 40, 40, 1], key(0));
    const b = sine().sample(key(1), 25, 10, 10);
    const grad = new Float32Array(params.length);
    const pre = new Float32Array(25);
    const post = new Float32Array(25);
    const lr = new Float32Array([0.01]);
    const cases: [string, MetaMode, number, number, number][] = [
      ['maml 2nd order, 1 step', 'secondOrder', 1, 0, 0],
      ['fomaml, 1 step', 'firstOrder', 1, 0, 0],
      ['reptile, 5 steps', 'reptile', 5, 0, 0],
      ['imaml, 5 steps + 3 CG', 'implicit', 5, 2, 3],
    ];
    for (const [name, mode, steps, lambda, cg] of cases) {
      for (const [impl, backend] of ctx.backends) {
        const k = metaKernels(backend);
        const scalars: MetaGradScalars = {
          hidden: 2,
          output: 0,
          loss: 'mse',
          steps,
          lambda,
          mode,
          cgSteps: cg,
          tasks: 25,
          supportRows: 10,
          queryRows: 10,
        };
        const ms = ctx.time(
          () =>
            k.metaGradBatch(
              sizes,
              params,
              lr,
              b.supportX,
              b.supportY,
              b.queryX,
              b.queryY,
              grad,
              null,
              pre,
              post,
              scalars,
            ),
          { minRuns: impl === 'js' ? 3 : 20 },
        );
        rows.push({
          case: `sine meta-iter: ${name}`,
          impl,
          medianMs: ms,
          rate: 1000 / ms,
          rateUnit: 'iters/s',
          extra: { threads: backend.threads() },
        });
      }
    }
    const torch: [string, string, number][] = [
      ['maml 2nd order, 1 step', 'torch-1.13 loop (measured-here)', 7.75],
      ['maml 2nd order, 1 step', 'torch-1.13 batched (measured-here)', 1.45],
      ['fomaml, 1 step', 'torch-1.13 loop (measured-here)', 4.29],
      ['fomaml, 1 step', 'torch-1.13 batched (measured-here)', 0.82],
    ];
    for (const [name, impl, ms] of torch)
      rows.push({ case: `sine meta-iter: ${name}`, impl, medianMs: ms, rate: 1000 / ms, rateUnit: 'iters/s' });
    return rows;
  },
};
export default suite;
