// MAML-TRPO on Bernoulli bandits with Duan et al.'s settings as pytorch-maml-rl runs them
// (Bandit-K{k}-v0: one pull per episode, N episodes per task = the N pulls; CategoricalMLPPolicy
// 32-32 ReLU, 1 inner VPG step at lr 0.5, γ 0.95, GAE λ 1, linear baseline; TRPO max-KL 0.01,
// CG 10, 15 backtracks at 0.8; meta-batch 20), next to metaRl.baselines (Thompson, UCB1, Gittins,
// random) played by metaRl.evaluateTrials on the same prior p_i ~ U[0, 1].
//
// What is compared, per task, as total reward over N pulls:
//   - MAML before adaptation: N × the mean reward per pull of θ_0 — the N pulls MAML adapts on, so
//     this is its total reward in an N-pull trial, directly comparable to the baselines';
//   - MAML after 1 step: N × the mean reward per pull of θ_1 (adapted on those N pulls), i.e. the
//     reward of N *further* pulls (2N pulls in all: not the same budget as the baselines);
//   - a random init and a multi-task-pretrained policy adapted the same way (metaRl.maml's evaluate).
//
// With episodes=E > 0 (the 7th argument), the other reading: one episode is a whole N-pull trial
// (Bandit-v0's own layout: the observation carries the last arm and reward, so θ_0 can meta-learn a
// reactive strategy), MAML adapts on E such trials, and "before adaptation" is θ_0's total reward
// in one N-pull trial — the same budget as the baselines.
//
//   nice -n 10 npx tsx examples/maml_rl_bandit.ts [arms=5] [N=10] [iterations=500] [seeds=3] [out.json] [E=0]
// The runs reported in the README are in examples/maml_rl_bandit_results.json.
import { writeFileSync } from 'node:fs';
import { backend, metaRl } from '../src/index.js';

const arms = Number(process.argv[2] ?? 5);
const N = Number(process.argv[3] ?? 10);
const iterations = Number(process.argv[4] ?? 500);
const seeds = Number(process.argv[5] ?? 3);
const out = process.argv[6] || undefined;
const trialEpisodes = Number(process.argv[7] ?? 0);
/** Pulls per episode and the factor from mean episode return to total reward per N pulls. */
const [pullsPerEpisode, scale] = trialEpisodes > 0 ? [N, 1] : [1, N];
const TASKS = 1000; // held-out tasks per seed
const TRIALS = 10000; // baseline trials

const fmt = (m: number, ci: number) => `${m.toFixed(2)} ± ${ci.toFixed(2)}`;
/** Mean and 95% half-width over seeds (normal approximation; t would be wider for 3 seeds). */
function overSeeds(xs: number[]): { mean: number; ci95: number } {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean: m, ci95: (1.96 * sd) / Math.sqrt(xs.length) };
}

async function main(): Promise<void> {
  const config = {
    env: 'Bandit-v0',
    envOptions: { arms, pulls: pullsPerEpisode },
    policy: { hidden: [32, 32], activation: 'relu' as const },
    innerLr: 0.5,
    gamma: 0.95,
    episodesPerTask: trialEpisodes > 0 ? trialEpisodes : N,
    metaBatch: 20,
  };
  type Row = { mean: number; ci95: number };
  const runs: { seed: number; seconds: number; meta?: Row[]; random?: Row[]; pretrained?: Row[] }[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const maml = metaRl.maml(config);
    const t0 = performance.now();
    const r = await maml.train({
      iterations,
      seed,
      onProgress: (p) => {
        if (p.iteration % 50 === 0 || p.iteration === 1)
          console.log(
            `seed ${seed} it ${p.iteration}: pre ${(scale * p.preReturn).toFixed(2)} post ${(scale * p.postReturn).toFixed(2)} ` +
              `kl ${p.kl.toFixed(4)} f ${p.stepFraction.toFixed(3)} ${p.seconds.toFixed(0)} s`,
          );
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const ev = await maml.evaluate(r.params, {
      tasks: TASKS,
      steps: [0, 1],
      episodes: trialEpisodes > 0 ? trialEpisodes : N,
      seed: 1000 + seed,
      baselines: { random: true, pretrained: { iterations: 100 } },
    });
    const total = (rows: { mean: number; ci95: number }[] | undefined) =>
      rows?.map((x) => ({ mean: scale * x.mean, ci95: scale * x.ci95 }));
    const run = {
      seed,
      seconds,
      meta: total(ev.meta),
      random: total(ev.random),
      pretrained: total(ev.pretrained),
    };
    console.log(JSON.stringify(run));
    runs.push(run);
  }
  const B = metaRl.baselines;
  const baselines: Record<string, { mean: number; ci95: number }> = {};
  for (const agent of [B.thompson(), B.ucb1(), B.gittins(), B.random()]) {
    const r = await metaRl.evaluateTrials(agent, {
      env: 'Bandit-v0',
      envOptions: { arms, pulls: N },
      trials: TRIALS,
      seed: 7,
    });
    baselines[agent.name] = { mean: r.meanReturn, ci95: r.ci95 };
  }
  const pick = (f: (r: (typeof runs)[number]) => number) => overSeeds(runs.map(f));
  const summary = {
    arms,
    pulls: N,
    episodesPerTrial:
      trialEpisodes > 0
        ? `one episode = the ${N}-pull trial; adapts on ${trialEpisodes} trials`
        : 'one pull each (pytorch-maml-rl)',
    iterations,
    seeds,
    backend: backend.current(),
    secondsPerRun: runs.reduce((s, r) => s + r.seconds, 0) / runs.length,
    mamlPre: pick((r) => r.meta?.[0]?.mean as number),
    mamlPost1: pick((r) => r.meta?.[1]?.mean as number),
    randomInitPre: pick((r) => r.random?.[0]?.mean as number),
    randomInitPost1: pick((r) => r.random?.[1]?.mean as number),
    pretrainedPre: pick((r) => r.pretrained?.[0]?.mean as number),
    pretrainedPost1: pick((r) => r.pretrained?.[1]?.mean as number),
    baselines,
    oracle: (N * arms) / (arms + 1), // E[max p] of k U[0, 1] arms, every pull
    runs,
  };
  console.log(`\nBandit-v0 k=${arms}, N=${N}: total reward per task (mean ± 95% CI)`);
  console.log(
    `  MAML θ_0 (the N pulls)        ${fmt(summary.mamlPre.mean, summary.mamlPre.ci95)}  (over ${seeds} seeds)`,
  );
  console.log(`  MAML θ_1 (N further pulls)    ${fmt(summary.mamlPost1.mean, summary.mamlPost1.ci95)}`);
  console.log(
    `  random init θ_0 / θ_1         ${summary.randomInitPre.mean.toFixed(2)} / ${summary.randomInitPost1.mean.toFixed(2)}`,
  );
  console.log(
    `  pretrained θ_0 / θ_1          ${summary.pretrainedPre.mean.toFixed(2)} / ${summary.pretrainedPost1.mean.toFixed(2)}`,
  );
  for (const [k, v] of Object.entries(baselines)) console.log(`  ${k.padEnd(30)}${fmt(v.mean, v.ci95)}`);
  console.log(`  oracle (best arm every pull)  ${summary.oracle.toFixed(2)}`);
  if (out) writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
