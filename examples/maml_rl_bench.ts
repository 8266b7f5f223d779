// Speed of MAML-TRPO at pytorch-maml-rl's 2D-navigation settings on the native and js backends:
// seconds per meta-iteration (sampling 800 episodes + the TRPO step: meta-gradient, 11 Fisher
// products through the inner step, line search), and the throughput of the inner-loss
// Hessian-vector product (one R-operator pass over a task's ~2000 steps, 2-64-64-2 tanh policy).
// FLOP model of one HVP pass: 5 × the forward's 2·Σ fan_in·fan_out per row (forward, tangent,
// backward of both) — an estimate, stated as such.
//
//   npx tsx examples/maml_rl_bench.ts [iterations=2]
import { backend, metaRl } from '../src/index.js';
import { resolveMamlConfig } from '../src/metarl/maml/config.js';
import { EnvPool, sampleBatch } from '../src/metarl/maml/meta_batch.js';
import { TaskObjectives } from '../src/metarl/maml/objectives.js';
import { gaussianPolicy } from '../src/metarl/maml/policy.js';
import * as random from '../src/random/index.js';

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 2);
  const rows: Record<string, unknown>[] = [];
  for (const name of ['native', 'js'] as const) {
    backend.use(name);
    const m = metaRl.maml({ env: 'Navigation2D-v0' });
    await m.train({ iterations: 1, seed: 0 }); // warm-up (JIT, env buffers)
    const t0 = performance.now();
    const r = await m.train({ iterations, seed: 1 });
    const perIter = (performance.now() - t0) / 1000 / iterations;
    // HVP throughput on one task's batch of the sampled episodes.
    const c = resolveMamlConfig({ env: 'Navigation2D-v0' }, 'bench');
    const pool = new EnvPool(c);
    const policy = gaussianPolicy(pool.any(), c.hidden, c.activation);
    const th = r.params;
    const b = sampleBatch(pool, policy, c, [th], pool.any().sampleTasks(random.key(3), 1), 20, random.key(4));
    const obj = new TaskObjectives(policy, b);
    const v = random.normal(random.key(5), policy.size);
    const out = new Float32Array(policy.size);
    const reps = name === 'native' ? 200 : 20;
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) obj.innerHvp(th, 0, v, out);
    const hvpS = (performance.now() - t1) / 1000 / reps;
    const n = b.rowStart[1] as number;
    const sizes = [2, 64, 64, 2];
    let macs = 0;
    for (let l = 0; l + 1 < sizes.length; l++) macs += (sizes[l] as number) * (sizes[l + 1] as number);
    const gflops = (5 * 2 * macs * n) / hvpS / 1e9;
    rows.push({ backend: name, secondsPerIteration: perIter, hvpRows: n, hvpMs: hvpS * 1000, hvpGflops: gflops });
    pool.close();
    console.log(JSON.stringify(rows.at(-1)));
  }
  const [nat, js] = rows as { secondsPerIteration: number; hvpMs: number }[];
  if (nat && js)
    console.log(
      JSON.stringify({
        speedupVsJs: js.secondsPerIteration / nat.secondsPerIteration,
        hvpSpeedupVsJs: js.hvpMs / nat.hvpMs,
        speedupVsPytorch: 6.44 / nat.secondsPerIteration,
      }),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
