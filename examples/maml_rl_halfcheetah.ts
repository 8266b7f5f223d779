// MAML-TRPO on HalfCheetahVel-v0, MAML's variant (goal velocity ~ U[0, 2], horizon 100; the
// MuJoCo env of envs.makeMujoco), with pytorch-maml-rl's halfcheetah-vel settings except the
// budget: 64-64 tanh Gaussian policy, 1 inner VPG step at lr 0.1, γ 0.99, λ 1.0, max-KL 0.01,
// CG 10 at damping 1e-5, 15 backtracks at 0.8 — but `tasks` (default 20, theirs 40) tasks ×
// `episodes` (default 10, theirs 20) per meta-iteration and far fewer meta-iterations (theirs 500)
// on this 2-core machine. It then reports held-out return (40 velocities from another seed) after
// 0 and 1 adaptation steps for the meta-learned init, a random init and a multi-task pre-trained
// policy (TRPO on the task mixture without adaptation, `pretrain` iterations), adapted the same way.
//
//   nice -n 10 npx tsx examples/maml_rl_halfcheetah.ts [iterations=30] [seed=0] [pretrain=30] [tasks=20] [episodes=10] [out.json]
import { writeFileSync } from 'node:fs';
import { backend, metaRl } from '../src/index.js';

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 30);
  const seed = Number(process.argv[3] ?? 0);
  const pretrainIterations = Number(process.argv[4] ?? 30);
  const metaBatch = Number(process.argv[5] ?? 20);
  const episodesPerTask = Number(process.argv[6] ?? 10);
  const out = process.argv[7];
  const maml = metaRl.maml({
    env: 'HalfCheetahVel-v0',
    envOptions: { variant: 'maml' },
    metaBatch,
    episodesPerTask,
  });
  const t0 = performance.now();
  const r = await maml.train({
    iterations,
    seed,
    onProgress: (p) => {
      console.log(
        `seed ${seed} it ${p.iteration}: pre ${p.preReturn.toFixed(1)} post ${p.postReturn.toFixed(1)} ` +
          `kl ${p.kl.toFixed(4)} f ${p.stepFraction.toFixed(3)} ${p.seconds.toFixed(0)} s`,
      );
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const ev = await maml.evaluate(r.params, {
    tasks: 40,
    steps: [0, 1],
    seed: 1000 + seed,
    baselines: { random: true, pretrained: { iterations: pretrainIterations } },
  });
  const first = r.history.slice(0, 5);
  const last = r.history.slice(-5);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const result = {
    env: 'HalfCheetahVel-v0 (maml: U[0, 2], horizon 100)',
    seed,
    iterations,
    metaBatch,
    episodesPerTask,
    backend: backend.current(),
    physics: backend.info().physics,
    secondsPerIteration: trainSeconds / iterations,
    trainFirst5: { pre: mean(first.map((p) => p.preReturn)), post: mean(first.map((p) => p.postReturn)) },
    trainLast5: { pre: mean(last.map((p) => p.preReturn)), post: mean(last.map((p) => p.postReturn)) },
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
