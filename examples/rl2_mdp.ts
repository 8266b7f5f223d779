// RL² on Duan et al.'s tabular MDPs (issue 15): 10 states, 5 actions, episodes of 10 steps,
// P(·|s,a) ~ Dirichlet(1), mean rewards ~ N(1, 1), reward noise N(0, 1); a trial is n episodes of
// one MDP. RL²'s total reward per trial beside random, greedy (posterior-mean MDP), PSRL and BEB.
//
//   nice -n 10 npx tsx examples/rl2_mdp.ts --episodes 10 --steps 3000000
//
// 25 episodes, the setting of the README's figures (small reward scale so the value loss does not
// swamp the shared GRU, λ 0.95, entropy annealed 0.01 → 0; the n = 100 bandits' entropy 0.05 at lr
// 1e-3 stayed at random level here after 8M steps), JSON beside the log:
//   nice -n 10 npx tsx examples/rl2_mdp.ts --episodes 25 --steps 20000000 --lr 3e-3 --lrFinal 1e-4 \
//     --lambda 0.95 --gamma 0.99 --ent 0.01 --entFinal 0 --rewardScale 0.05 --hidden 64 --batch 128 \
//     --seed0 S --json out.json
// (--noBaselines skips the baselines, --seed0 S starts the seeds at S.)
import { writeFileSync } from 'node:fs';
import { metaRl } from '../src/index.js';
import { flag, hasFlag, textFlag } from './flags.js';

const episodes = flag('episodes', 10);
const steps = flag('steps', 3_000_000);
const seeds = flag('seeds', 1);
const hidden = flag('hidden', 64);
const trials = flag('trials', 2000);
const lr = flag('lr', 3e-3);
const batch = flag('batch', 64);
const gamma = flag('gamma', 0.99);
const lambda = flag('lambda', 0.3);
const ent = flag('ent', 0.01);
const entFinal = flag('entFinal', 0);
const rewardScale = flag('rewardScale', 0.1);
const lrFinal = flag('lrFinal', 1e-4);
const seed0 = flag('seed0', 0);
const noBaselines = hasFlag('noBaselines');
// --json FILE writes the baselines and per-seed RL² results (mean, 95% CI) as JSON.
const jsonPath = textFlag('json');
const M = metaRl.mdpBaselines;
const ev = { episodesPerTrial: episodes, trials, seed: 4242 };
const fmt = (r: { meanReturn: number; ci95: number }): string => `${r.meanReturn.toFixed(1)} ± ${r.ci95.toFixed(1)}`;
console.log(`# RL² on TabularMDP-v0 (10 states, 5 actions, horizon 10), ${episodes} episodes per trial`);
const results: Record<string, { meanReturn: number; ci95: number }> = {};
if (!noBaselines)
  for (const a of [M.random(), M.greedy(), M.psrl(), M.beb({ beta: 1 })]) {
    const r = await metaRl.evaluateMdpTrials(a, ev);
    results[a.name] = { meanReturn: r.meanReturn, ci95: r.ci95 };
    console.log(`${a.name} ${fmt(r)}`);
  }
for (let s = seed0; s < seed0 + seeds; s++) {
  const t0 = Date.now();
  const learner = metaRl.rl2({
    env: 'TabularMDP-v0',
    episodesPerTrial: episodes,
    hidden,
    lr,
    lrFinal,
    maxGradNorm: 5,
    gamma,
    lambda,
    entCoef: ent,
    entCoefFinal: entFinal,
    trialsPerUpdate: batch,
    rewardScale,
  });
  const { policy, history } = await learner.train({
    totalSteps: steps,
    seed: s,
    onUpdate: (u) => {
      if (u.update % 50 === 0)
        console.log(
          `  seed ${s} update ${u.update} steps ${u.steps} return ${u.meanTrialReturn.toFixed(1)} entropy ${u.entropy.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        );
    },
  });
  console.log(`  seed ${s}: ${history.length} updates in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  for (const p of [policy, policy.greedy()]) {
    const r = await metaRl.evaluateMdpTrials(p, ev);
    results[`rl2 seed ${s} ${p.name}`] = { meanReturn: r.meanReturn, ci95: r.ci95 };
    console.log(`rl2 seed ${s} ${p.name} ${fmt(r)}`);
  }
}
if (jsonPath !== undefined)
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ episodes, steps, hidden, lr, lrFinal, gamma, lambda, ent, entFinal, rewardScale, batch, trials, results }, null, 2)}\n`,
  );
