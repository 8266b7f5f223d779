// MAML-TRPO and Reptile on PointRobot-v0 with PEARL's dense reward (−‖s − g‖, goal on the upper
// unit half circle; the env's horizon of 100 steps, PEARL's is 20). MAML: pytorch-maml-rl's
// 2d-navigation settings (64-64 tanh Gaussian policy, 1 inner VPG step at lr 0.1, 20 episodes per
// task, meta-batch 20, γ 0.99, λ 1.0, max-KL 0.01). Reptile: the same sampling, k VPG inner steps
// at lr 0.1 and outer step ε. Reptile-PPO ('reptile-ppo'): the same sampling, k PPO inner updates
// (metaRl.reptile's PPO_INNER_DEFAULTS: 4 epochs × 4 minibatches, clip 0.2, Adam 3e-3), evaluated
// with the same PPO updates as its adaptation steps (also after 5); the runs in the JSON use ε 0.1
// (`reptile-ppo 80 SEED 0 5 0.1`; at ε 1 the init's log-std collapsed within 20 iterations).
// Budget (2-core machine): 80 meta-iterations, seeds 0–2, one seed per process. Reports held-out return after 0/1/2/3 adaptation steps (40 tasks from seed
// 1000 + seed, 20 episodes per step) for the meta-learned init beside a random init and a
// multi-task pre-trained policy adapted the same way (pretrain 0 skips the pre-trained baseline;
// it does not depend on the method). Each run replaces its (method, seed) row of out.json's `runs`.
//
//   nice -n 10 npx tsx examples/maml_rl_point_robot.ts maml|reptile|reptile-ppo [iterations=80] [seed=0] [pretrain=50] [k=5] [eps=1] [out.json]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { backend, metaRl } from '../src/index.js';

async function main(): Promise<void> {
  const method = process.argv[2] ?? 'maml';
  if (method !== 'maml' && method !== 'reptile' && method !== 'reptile-ppo')
    throw new RangeError(`method: expected maml, reptile or reptile-ppo, got ${method}`);
  const iterations = Number(process.argv[3] ?? 80);
  const seed = Number(process.argv[4] ?? 0);
  const pretrainIterations = Number(process.argv[5] ?? 50);
  const k = Number(process.argv[6] ?? 5);
  const eps = Number(process.argv[7] ?? 1);
  const out = process.argv[8];
  const envOptions = { dense: true };
  const learner =
    method === 'maml'
      ? metaRl.maml({ env: 'PointRobot-v0', envOptions })
      : metaRl.reptile({
          env: 'PointRobot-v0',
          envOptions,
          innerSteps: k,
          outerLr: eps,
          ...(method === 'reptile-ppo' ? { inner: 'ppo' as const } : {}),
        });
  const t0 = performance.now();
  const r = await learner.train({
    iterations,
    seed,
    onProgress: (p) => {
      if (p.iteration % 10 === 0 || p.iteration === 1)
        console.log(
          `${method} seed ${seed} it ${p.iteration}: pre ${p.preReturn.toFixed(2)} post ${p.postReturn.toFixed(2)} ` +
            `${p.seconds.toFixed(0)} s`,
        );
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const ev = await learner.evaluate(r.params, {
    tasks: 40,
    // Reptile-PPO is also read after its k = 5 training updates (one PPO update moves a policy little).
    steps: method === 'reptile-ppo' ? [0, 1, 2, 3, 5] : [0, 1, 2, 3],
    seed: 1000 + seed,
    baselines: { random: true, pretrained: pretrainIterations > 0 ? { iterations: pretrainIterations } : false },
  });
  const last = r.history.slice(-10);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const row = {
    method,
    ...(method !== 'maml' ? { innerSteps: k, outerLr: eps } : {}),
    ...(method === 'reptile-ppo' ? { ppo: (learner.config as { ppo: unknown }).ppo } : {}),
    seed,
    iterations,
    backend: backend.current(),
    secondsPerIteration: trainSeconds / iterations,
    trainPre: mean(last.map((p) => p.preReturn)),
    trainPost: mean(last.map((p) => p.postReturn)),
    pretrainIterations,
    evaluation: ev,
  };
  console.log(JSON.stringify(row));
  if (out) {
    type Row = { method: string; seed: number };
    const doc: { env: string; command: string; runs: Row[] } = existsSync(out)
      ? JSON.parse(readFileSync(out, 'utf8'))
      : {
          env: 'PointRobot-v0 { dense: true } (PEARL dense reward)',
          command: 'nice -n 10 npx tsx examples/maml_rl_point_robot.ts METHOD ITER SEED PRETRAIN K EPS OUT',
          runs: [],
        };
    doc.runs = doc.runs.filter((x) => !(x.method === method && x.seed === seed));
    doc.runs.push(row);
    writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
