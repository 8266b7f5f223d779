// Speed of MAML-TRPO at pytorch-maml-rl's 2D-navigation settings on the native and js backends:
// seconds per meta-iteration (sampling 800 episodes + the TRPO step: meta-gradient, 11 Fisher
// products through the inner step, line search) as the median over iterations, both wall-clock and
// process CPU time (user + system, all threads: on a shared machine the steadier figure), and the
// throughput of the batched curvature kernels on one meta-batch (20 tasks × ~2000 steps, 2-64-64-2
// tanh policy): the inner-loss Hessian product (mode 0) and the KL Fisher product (mode 1).
// FLOP model (stated, not counted): a dense layer in×out costs 2·in·out per row per matrix product;
// a Hessian product runs 6 such products per layer (tangent forward 2, R-backward 4), a Fisher
// product 4; the first layer runs 2 for either (its input has no tangent and needs no cotangent).
//
//   npx tsx examples/maml_rl_bench.ts [iterations=5] [jsIterations=1] [threads=default]
import { backend, metaRl } from '../src/index.js';
import { BatchProducts } from '../src/metarl/maml/batched.js';
import { resolveMamlConfig } from '../src/metarl/maml/config.js';
import { EnvPool, sampleBatch } from '../src/metarl/maml/meta_batch.js';
import { gaussianPolicy } from '../src/metarl/maml/policy.js';
import * as random from '../src/random/index.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** FLOPs of one product over `rows` rows: per layer 2·in·out per matrix product. */
function productFlops(sizes: number[], rows: number, mode: 0 | 1): number {
  let f = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const per = 2 * (sizes[l] as number) * (sizes[l + 1] as number);
    const products = l === 0 ? 2 : mode === 0 ? 6 : 4;
    f += products * per * rows;
  }
  return f;
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 5);
  const jsIterations = Number(process.argv[3] ?? 1);
  const threads = process.argv[4] !== undefined ? Number(process.argv[4]) : undefined;
  const rows: Record<string, number | string>[] = [];
  for (const name of ['native', 'js'] as const) {
    backend.use(name);
    if (threads !== undefined && name === 'native') backend.threads(threads);
    const m = metaRl.maml({ env: 'Navigation2D-v0' });
    const warm = await m.train({ iterations: 1, seed: 0 }); // JIT, env buffers, tapes
    const wall: number[] = [];
    const cpu: number[] = [];
    let theta = warm.params;
    const n = name === 'native' ? iterations : jsIterations;
    for (let i = 0; i < n; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      theta = (await m.train({ iterations: 1, seed: 1 + i, init: theta })).params;
      wall.push((performance.now() - t0) / 1000);
      const cu = process.cpuUsage(c0);
      cpu.push((cu.user + cu.system) / 1e6);
    }
    // The curvature kernels on one meta-batch.
    const c = resolveMamlConfig({ env: 'Navigation2D-v0' }, 'bench');
    const pool = new EnvPool(c);
    const policy = gaussianPolicy(pool.any(), c.hidden, c.activation);
    const T = c.metaBatch;
    const thetas = Array.from({ length: T }, () => theta);
    const tasks = pool.any().sampleTasks(random.key(3), T);
    const b = sampleBatch(pool, policy, c, thetas, tasks, c.episodesPerTask, random.key(4));
    const params = new Float32Array(T * policy.size);
    for (let t = 0; t < T; t++) params.set(theta, t * policy.size);
    const v = random.normal(random.key(5), T * policy.size);
    const sizes = [...policy.mlp.sizes];
    const totalRows = b.rowStart[T] as number;
    const reps = name === 'native' ? 20 : 2;
    const row: Record<string, number | string> = {
      backend: name,
      threads: name === 'native' ? backend.threads() : 1,
      iterations: n,
      secondsPerIteration: median(wall),
      cpuSecondsPerIteration: median(cpu),
      rows: totalRows,
    };
    for (const [mode, label] of [
      [0, 'hessian'],
      [1, 'fisher'],
    ] as const) {
      const prod =
        mode === 0
          ? BatchProducts.inner(policy, b, params, 'bench0')
          : BatchProducts.fisher(policy, b, params, 'bench1');
      prod.apply(v);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) prod.apply(v);
      const s = (performance.now() - t0) / 1000 / reps;
      const cu = process.cpuUsage(c0);
      const cs = (cu.user + cu.system) / 1e6 / reps;
      const flops = productFlops(sizes, totalRows, mode);
      row[`${label}Ms`] = s * 1000;
      row[`${label}GflopsWall`] = flops / s / 1e9;
      row[`${label}GflopsPerCpuSecond`] = flops / cs / 1e9;
    }
    pool.close();
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const [nat, js] = rows as { secondsPerIteration: number; cpuSecondsPerIteration: number }[];
  if (nat && js)
    console.log(
      JSON.stringify({
        speedupVsJs: js.secondsPerIteration / nat.secondsPerIteration,
        cpuSpeedupVsJs: js.cpuSecondsPerIteration / nat.cpuSecondsPerIteration,
        speedupVsPytorch: 6.44 / nat.secondsPerIteration,
      }),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
