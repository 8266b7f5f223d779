// "Identifying Policy Gradient Subspaces" (Schneider et al., ICLR 2024) for PPO on CartPole-v1:
// does the policy gradient live in the top-k Hessian subspace of the surrogate, and does that
// subspace change slowly over training?
//
// PPO (CleanRL defaults, 4 envs × 128 steps) trains for STEPS environment steps; every EVERY updates
// the actor parameters are snapshotted. For each snapshot a fresh on-policy batch (8 envs × 256
// steps, fixed seed, GAE advantages from the snapshot's critic) gives the clipped surrogate (policy
// loss, no entropy; ratio 1 at the snapshot, as at the start of a PPO update) with exact HVPs
// (rl.surrogateCurvature). Lanczos gives its top-k eigenvectors (k = 10); we record
//   - f_top = ‖P_k g‖²/‖g‖² of the surrogate gradient g at the snapshot, and f_random for a random
//     k-frame (≈ k/n);
//   - the subspace overlap ‖V_tᵀV_s‖²/k with the previous snapshot and with the snapshot at update
//     REF (Schneider et al.'s S_overlap; 1 = same subspace, k/n = random);
//   - λ₁ and the training return.
// SEEDS seeds: mean ± 95% CI per snapshot (table on stdout, JSON in runs/curvature); the mean curves as
// examples/ppo_subspace_<env>.svg.
//
//   nice -n 10 npx tsx examples/ppo_gradient_subspace.ts [--seeds 3] [--steps 100000]
//   nice -n 10 npx tsx examples/ppo_gradient_subspace.ts --env Pendulum-v1 --seeds 1 --steps 200000
// (Pendulum: the Gaussian means' parameters, log-stds held fixed; PPO's continuous defaults.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeLineChart } from '../src/cli/plot.js';
import * as envs from '../src/envs/index.js';
import { nn, random, rl } from '../src/index.js';
import { RolloutCollector } from '../src/rl/collector.js';
import { RunningMeanStd } from '../src/rl/normalize.js';
import { meanCi } from './curvature_harness.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const envArg = process.argv.indexOf('--env');
const ENV = envArg >= 0 ? (process.argv[envArg + 1] as string) : 'CartPole-v1';
const [SEEDS, STEPS, EVERY, REF, K] = [arg('seeds', 3), arg('steps', 100_000), 10, 20, 10];
const [EVAL_ENVS, EVAL_STEPS] = [8, 256];

interface Row {
  update: number;
  meanReturn: number;
  fTop: number;
  fRandom: number;
  overlapPrev: number;
  overlapRef: number;
  lambda1: number;
  lambdaK: number;
}

function randomFrame(n: number, seed: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < K; i++) {
    const v = Float64Array.from(random.normal(random.key(seed * 100 + i), n));
    for (const u of out) {
      let d = 0;
      for (let j = 0; j < n; j++) d += (v[j] as number) * (u[j] as number);
      for (let j = 0; j < n; j++) v[j] = (v[j] as number) - d * (u[j] as number);
    }
    let s = 0;
    for (const a of v) s += a * a;
    out.push(Float32Array.from(v, (a) => a / Math.sqrt(s)));
  }
  return out;
}

async function runSeed(seed: number): Promise<Row[]> {
  const snaps: { update: number; params: Float32Array; obsRms?: Float64Array; meanReturn: number }[] = [];
  let last: rl.Policy | undefined;
  await rl.ppo.train({
    env: ENV,
    seed,
    totalSteps: STEPS,
    onUpdate: (stats, policy) => {
      last = policy;
      if (stats.update === 1 || stats.update % EVERY === 0)
        snaps.push({
          update: stats.update,
          params: policy.params.slice(),
          obsRms: policy.obsRms?.toArray(),
          meanReturn: stats.meanReturn,
        });
    },
  });
  const policy = last as rl.Policy;
  const model = policy.model;
  NP = model.actor.mlp.size;
  const rand = randomFrame(NP, seed + 1);
  const rows: Row[] = [];
  let prev: Float32Array[] | undefined;
  let ref: Float32Array[] | undefined;
  for (const s of snaps) {
    // A fresh on-policy batch from the snapshot, normalized with (a copy of) its observation
    // statistics where the run normalizes (Pendulum); raw rewards: the advantages are normalized in
    // the surrogate and any baseline leaves the gradient unbiased.
    const env = envs.make(ENV, { numEnvs: EVAL_ENVS, seed: 10_000 + seed });
    const collector = new RolloutCollector(
      env,
      model,
      {
        numSteps: EVAL_STEPS,
        gamma: 0.99,
        gaeLambda: 0.95,
        obsRms: s.obsRms && RunningMeanStd.fromArray(s.obsRms.slice()),
        clipObs: 10,
        rewardScaler: undefined,
      },
      seed,
    );
    collector.collect(s.params, random.key(20_000 + seed));
    env.close();
    const snapPolicy = new rl.Policy(model.spec, s.params, policy.info);
    const c = rl.surrogateCurvature(snapPolicy, {
      obs: collector.obs,
      actions: collector.actions,
      advantages: collector.advantages,
      oldLogp: collector.logp,
    });
    const r = nn.curvature.analyze(c, { k: K, iterations: 60, seed });
    if (s.update === REF) ref = r.vectors;
    rows.push({
      update: s.update,
      meanReturn: s.meanReturn,
      fTop: r.gradientFraction,
      fRandom: nn.curvature.gradientFraction(rand, r.grad),
      overlapPrev: prev ? nn.curvature.subspaceOverlap(prev, r.vectors) : Number.NaN,
      overlapRef: ref ? nn.curvature.subspaceOverlap(ref, r.vectors) : Number.NaN,
      lambda1: r.values[0] as number,
      lambdaK: r.values[K - 1] as number,
    });
    prev = r.vectors;
  }
  return rows;
}

let NP = 0; // actor parameters
const all: Row[][] = [];
for (let seed = 0; seed < SEEDS; seed++) {
  all.push(await runSeed(seed));
  const end = all[seed]?.at(-1);
  process.stderr.write(`seed ${seed}: return ${end?.meanReturn.toFixed(1)}, f_top ${end?.fTop.toFixed(3)}\n`);
}

const fmt = (xs: number[], d = 3) => {
  const ys = xs.filter((v) => Number.isFinite(v));
  if (ys.length === 0) return '—';
  const [m, c] = meanCi(ys);
  return `${m.toFixed(d)} ± ${c.toFixed(d)}`;
};
const n = (all[0] as Row[]).length;
const lines = [
  `${ENV}, PPO ${STEPS} steps, ${SEEDS} seeds; k = ${K}; actor params n = ${NP} (k/n = ${(K / NP).toExponential(1)})`,
  `| update | return | f_top(k) | f_random(k) | overlap prev | overlap @${REF} | λ₁ | λ_k |`,
  '|---|---|---|---|---|---|---|---|',
];
const mean: Record<string, number>[] = [];
for (let i = 0; i < n; i++) {
  const at = all.map((rows) => rows[i] as Row);
  const m = (f: (r: Row) => number) => {
    const ys = at.map(f).filter((v) => Number.isFinite(v));
    return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.NaN;
  };
  mean.push({
    update: (at[0] as Row).update,
    'gradient fraction (top-k)': m((r) => r.fTop),
    'gradient fraction (random k)': m((r) => r.fRandom),
    'overlap with previous': m((r) => r.overlapPrev),
    [`overlap with update ${REF}`]: m((r) => r.overlapRef),
  });
  lines.push(
    `| ${(at[0] as Row).update} | ${fmt(
      at.map((r) => r.meanReturn),
      1,
    )} | ${fmt(at.map((r) => r.fTop))} | ${fmt(
      at.map((r) => r.fRandom),
      4,
    )} | ${fmt(at.map((r) => r.overlapPrev))} | ${fmt(at.map((r) => r.overlapRef))} | ${fmt(
      at.map((r) => r.lambda1),
      2,
    )} | ${fmt(
      at.map((r) => r.lambdaK),
      3,
    )} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
const out = 'runs/curvature';
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/ppo_subspace_${ENV}.json`, JSON.stringify(all, null, 1));
await writeLineChart(`examples/ppo_subspace_${ENV}.svg`, mean, {
  x: 'update',
  y: Object.keys(mean[0] as object).filter((key) => key !== 'update'),
  title: `PPO surrogate, ${ENV}: top-${K} Hessian subspace (mean of ${SEEDS} seeds)`,
  yTitle: 'fraction / overlap',
});
