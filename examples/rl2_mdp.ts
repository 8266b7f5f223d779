// RL² on Duan et al.'s tabular MDPs (issue 15): 10 states, 5 actions, episodes of 10 steps,
// P(·|s,a) ~ Dirichlet(1), mean rewards ~ N(1, 1), reward noise N(0, 1); a trial is n episodes of
// one MDP. RL²'s total reward per trial beside random, greedy (posterior-mean MDP), PSRL and BEB.
//
//   nice -n 10 npx tsx examples/rl2_mdp.ts --episodes 10 --steps 3000000
import { metaRl } from '../src/index.js';

const args = process.argv.slice(2);
const flag = (name: string, d: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const episodes = flag('episodes', 10);
const steps = flag('steps', 3_000_000);
const seeds = flag('seeds', 1);
const hidden = flag('hidden', 64);
const trials = flag('trials', 2000);
const lr = flag('lr', 3e-3);
const batch = flag('batch', 64);
const M = metaRl.mdpBaselines;
const ev = { episodesPerTrial: episodes, trials, seed: 4242 };
const fmt = (r: { meanReturn: number; ci95: number }): string => `${r.meanReturn.toFixed(1)} ± ${r.ci95.toFixed(1)}`;
console.log(`# RL² on TabularMDP-v0 (10 states, 5 actions, horizon 10), ${episodes} episodes per trial`);
for (const a of [M.random(), M.greedy(), M.psrl(), M.beb({ beta: 1 })])
  console.log(`${a.name} ${fmt(await metaRl.evaluateMdpTrials(a, ev))}`);
for (let s = 0; s < seeds; s++) {
  const t0 = Date.now();
  const learner = metaRl.rl2({
    env: 'TabularMDP-v0',
    episodesPerTrial: episodes,
    hidden,
    lr,
    lrFinal: 1e-4,
    maxGradNorm: 5,
    gamma: 0.99,
    lambda: 0.3,
    trialsPerUpdate: batch,
    rewardScale: 0.1,
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
  for (const p of [policy, policy.greedy()])
    console.log(`rl2 seed ${s} ${p.name} ${fmt(await metaRl.evaluateMdpTrials(p, ev))}`);
}
