// MAML-TRPO on Navigation2D-v0 with pytorch-maml-rl's 2d-navigation settings (64-64 tanh Gaussian
// policy, 1 inner VPG step at lr 0.1, 20 episodes per task, meta-batch 20, γ 0.99, λ 1.0, max-KL
// 0.01, CG 10 at damping 1e-5, 15 backtracks at 0.8): meta-trains one run per seed, then reports
// held-out return after 0/1/2/3 adaptation steps (40 tasks, 20 episodes per step) for the
// meta-learned init, a random init and a multi-task-pretrained policy, adapted the same way.
//
//   npx tsx examples/maml_rl_navigation.ts [iterations=500] [seed] [pretrainIterations=100] [out.json] [evalEvery=0]
// evalEvery > 0 trains in chunks (checkpointed to out.json.ckpt and resumed, so the run is the same
// as one call) and writes the meta-init's held-out returns to out.json after each chunk, so a run
// cut short still yields numbers.
// One seed per process, so seeds can run side by side. The runs reported in the README are in
// examples/maml_rl_navigation_results.json (seed 0 with 100 meta-iterations, seeds 1–2 with 60,
// and 500-iteration runs with evalEvery 100, merged from their out.json).
import { writeFileSync } from 'node:fs';
import { backend, metaRl } from '../src/index.js';

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 500);
  const seed = Number(process.argv[3] ?? 0);
  const pretrainIterations = Number(process.argv[4] ?? 100);
  const out = process.argv[5];
  const evalEvery = Number(process.argv[6] ?? 0);
  const maml = metaRl.maml({ env: 'Navigation2D-v0' });
  const ckpt = out && evalEvery > 0 ? `${out}.ckpt` : undefined;
  let trainSeconds = 0;
  let r: Awaited<ReturnType<typeof maml.train>> | undefined;
  for (let target = evalEvery > 0 ? Math.min(evalEvery, iterations) : iterations; ; ) {
    const t0 = performance.now();
    r = await maml.train({
      iterations: target,
      seed,
      ...(ckpt ? { checkpoint: ckpt, checkpointEvery: 10, ...(r ? { resume: ckpt } : {}) } : {}),
      onProgress: (p) => {
        if (p.iteration % 10 === 0 || p.iteration === 1)
          console.log(
            `seed ${seed} it ${p.iteration}: pre ${p.preReturn.toFixed(1)} post ${p.postReturn.toFixed(1)} ` +
              `kl ${p.kl.toFixed(4)} f ${p.stepFraction.toFixed(3)} ${p.seconds.toFixed(0)} s`,
          );
      },
    });
    trainSeconds += (performance.now() - t0) / 1000;
    if (target >= iterations) break;
    // Partial figure: the meta-init only (the baselines do not depend on it).
    const part = await maml.evaluate(r.params, {
      tasks: 40,
      steps: [0, 1, 2, 3],
      seed: 1000 + seed,
      baselines: { random: false, pretrained: false },
    });
    const partial = {
      seed,
      iterations: target,
      partial: true,
      secondsPerIteration: trainSeconds / target,
      evaluation: part,
    };
    console.log(JSON.stringify(partial));
    if (out) writeFileSync(out, `${JSON.stringify(partial, null, 2)}\n`);
    target = Math.min(target + evalEvery, iterations);
  }
  const ev = await maml.evaluate(r.params, {
    tasks: 40,
    steps: [0, 1, 2, 3],
    seed: 1000 + seed,
    baselines: { random: true, pretrained: { iterations: pretrainIterations } },
  });
  const last = r.history.slice(-10);
  const result = {
    seed,
    iterations,
    backend: backend.current(),
    secondsPerIteration: trainSeconds / iterations,
    trainPre: last.reduce((s, p) => s + p.preReturn, 0) / last.length,
    trainPost: last.reduce((s, p) => s + p.postReturn, 0) / last.length,
    pretrainIterations,
    evaluation: ev,
  };
  console.log(JSON.stringify(result));
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
