// Bernoulli bandits (issue 15): RL²'s Table 1 baselines (Duan et al. 2016) and the exact
// finite-horizon Bayes-optimal value, as total reward per trial (mean ± 95% CI over trials).
//
//   npx tsx examples/metarl_bandits.ts [--trials 10000] [--seed 0]
//
// Settings: the paper's grid k ∈ {5, 10}, n ∈ {10, 100} with p ~ U[0, 1] (= Beta(1, 1)), and two-armed
// bandits of 10/20/25 pulls with Beta(1, 1) priors, where the DP is exact and cheap. "exact" is the
// DP's expected value (no sampling); the Monte-Carlo Bayes-optimal row must agree with it. The last
// column is the share of the random → Bayes-optimal gap that each baseline closes.
import { metaRl } from '../src/index.js';
import { flag } from './flags.js';

const trials = flag('trials', 10000);
const seed = flag('seed', 0);
const B = metaRl.baselines;

const settings: [number, number][] = [
  [5, 10],
  [10, 10],
  [5, 100],
  [10, 100],
  [2, 10],
  [2, 20],
  [2, 25],
];
for (const [arms, pulls] of settings) {
  const dpFeasible = arms ** 2 * pulls <= 1000 || (arms === 2 && pulls <= 25);
  const exact = dpFeasible ? new metaRl.BetaBernoulliDp(arms, pulls, 1, 1).rootValue() : Number.NaN;
  const agents = [
    B.random(),
    B.greedy(),
    B.epsGreedy({ eps: 0.1 }),
    B.ucb1(),
    B.ucb1({ c: 0.2 }),
    B.thompson(),
    B.gittins({ depth: 400 }), // γ = 1 − 1/n; depth 400 is the reference's converged depth for γ 0.99
    ...(dpFeasible ? [B.bayesOptimal()] : []),
  ];
  console.log(`\n## k = ${arms} arms, n = ${pulls} pulls, p ~ U[0,1]: ${trials} trials, seed ${seed}`);
  console.log(`exact Bayes-optimal (DP): ${dpFeasible ? exact.toFixed(4) : 'infeasible (n too long)'}`);
  console.log('| agent | total reward | ± 95% CI | gap closed |');
  console.log('|---|---|---|---|');
  const randomMean = pulls / 2; // E[p] = 1/2 under U[0, 1]
  for (const a of agents) {
    const t0 = Date.now();
    const r = await metaRl.evaluateTrials(a, { env: 'Bandit-v0', envOptions: { arms, pulls }, trials, seed });
    const gap = dpFeasible ? `${((100 * (r.meanReturn - randomMean)) / (exact - randomMean)).toFixed(1)}%` : '—';
    console.log(
      `| ${a.name} | ${r.meanReturn.toFixed(3)} | ${r.ci95.toFixed(3)} | ${gap} |  (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}
