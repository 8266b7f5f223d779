// RL² on Bernoulli bandits (issue 15): meta-train a GRU policy with PPO over whole trials, then
// compare its total reward per trial with the random policy, Thompson sampling and the exact
// finite-horizon Bayes-optimal value (DP), and measure how often its action is the Bayes-optimal
// one along its own trajectories where that action is unique (Mikulik et al. 2020).
//
//   nice -n 10 npx tsx examples/rl2_bandits.ts --arms 2 --pulls 25 --steps 3000000 --seeds 1 > log
//
// The 2-arm × 25-pull recipe behind the README's five-seed figures (no seed collapses: batch 256,
// step size 1e-3 and an entropy bonus annealed 0.05 → 0 keep the policy exploring long enough):
//   … --arms 2 --pulls 25 --hidden 48 --steps 15000000 --batch 256 --lr 1e-3 --ent 0.05 --entFinal 0 \
//     --lambda 0.5 --seed0 S --save /tmp/n25
// A second stage (--init) continues from saved parameters with other settings, e.g. a larger batch,
// Monte-Carlo advantages (λ 1), a small step size and no entropy bonus:
//   … --steps 5000000 --hidden 48 --seed0 100+S --init /tmp/n25-seedS.json --batch 1024 --lambda 1 \
//     --lr 3e-4 --lrFinal 1e-5 --ent 0 --entFinal 0
//
// Gap closed = (RL² − random) / (Bayes-optimal − random), with the exact DP value for Bayes.
import { readFileSync, writeFileSync } from 'node:fs';
import { metaRl } from '../src/index.js';
import type { BanditView, Baseline } from '../src/metarl/index.js';
import { flag, textFlag } from './flags.js';

const arms = flag('arms', 2);
const pulls = flag('pulls', 25);
const steps = flag('steps', 2_000_000);
const seeds = flag('seeds', 1);
const seed0 = flag('seed0', 0);
const hidden = flag('hidden', 32);
const trials = flag('trials', 10000);
const gamma = flag('gamma', 1);
const lambda = flag('lambda', 0.5);
const alpha = flag('alpha', 1);
const beta = flag('beta', 1);
const lr = flag('lr', 3e-3);
const ent = flag('ent', 0.01);
const batch = flag('batch', 64);
const clip = flag('clip', 5);
const lrFinal = flag('lrFinal', 1e-4);
const entFinal = flag('entFinal', 0);
const rewardScale = flag('rewardScale', 1);
const epochs = flag('epochs', 4);
const minibatches = flag('minibatches', 4);
const envOptions = { arms, pulls, prior: { alpha, beta } };
// --save PREFIX writes PREFIX-seedS.json: the trained parameters, for rl2_agreement_floor.ts.
const savePrefix = textFlag('save');
const initFile = textFlag('init');
// --init FILE (a --save output) continues from trained parameters: a second training stage.
const initParams =
  initFile !== undefined ? (JSON.parse(readFileSync(initFile, 'utf8')) as { params: number[] }).params : undefined;
const env = 'Bandit-v0';
const B = metaRl.baselines;
const dpFeasible = arms === 2 ? pulls <= 60 : arms ** 2 * pulls <= 1000;
const exact = dpFeasible ? new metaRl.BetaBernoulliDp(arms, pulls, alpha, beta).rootValue() : Number.NaN;

const fmt = (r: { meanReturn: number; ci95: number }): string => `${r.meanReturn.toFixed(3)} ± ${r.ci95.toFixed(3)}`;
console.log(
  `# RL² on ${arms}-armed Bernoulli bandits, ${pulls} pulls, prior Beta(${alpha}, ${beta}); exact Bayes ${exact.toFixed(4)}`,
);
const evalOpts = { env, envOptions, trials, seed: 12345 };
const rand = await metaRl.evaluateTrials(B.random(), evalOpts);
const base: [string, Baseline][] = [
  ['greedy', B.greedy()],
  ['ucb1', B.ucb1()],
  ['thompson', B.thompson()],
  ['gittins', B.gittins({ depth: 400 })],
];
if (dpFeasible) base.push(['bayesOptimal', B.bayesOptimal()]);
const ref = Number.isNaN(exact) ? undefined : exact;
const gap = (x: number): string =>
  ref === undefined ? '–' : `${((100 * (x - rand.meanReturn)) / (ref - rand.meanReturn)).toFixed(1)}%`;
console.log(`random ${fmt(rand)}`);
for (const [name, agent] of base) {
  const r = await metaRl.evaluateTrials(agent, evalOpts);
  console.log(`${name} ${fmt(r)} gap ${gap(r.meanReturn)}`);
}

// Wraps an agent so that every decision where the Bayes-optimal action is unique is scored.
interface Tally {
  agree: number;
  total: number;
  /** decisions whose best Q exceeds the runner-up by more than 0.05 (a clear choice) */
  clearAgree: number;
  clear: number;
  /** Σ (Q_best − Q_chosen): the expected total reward lost by the deviations */
  qLoss: number;
}

function scored(agent: Baseline, tally: Tally): Baseline {
  return {
    kind: 'metaRl.baseline',
    name: `${agent.name}+agreement`,
    bandit(setting) {
      const act = agent.bandit(setting);
      const dp = new metaRl.BetaBernoulliDp(setting.arms, setting.horizon, setting.prior.alpha, setting.prior.beta);
      const q = new Float64Array(setting.arms);
      return (view: BanditView, out: Int32Array) => {
        act(view, out);
        const k = view.arms;
        for (let r = 0; r < view.rows; r++) {
          dp.qValues(view.successes.subarray(r * k, r * k + k), view.failures.subarray(r * k, r * k + k), q);
          let best = -1;
          let arg = -1;
          let unique = true;
          for (let i = 0; i < k; i++) {
            const v = q[i] as number;
            if (v > best + 1e-9) {
              best = v;
              arg = i;
              unique = true;
            } else if (v >= best - 1e-9) unique = false;
          }
          tally.qLoss += best - (q[out[r] as number] as number);
          if (!unique) continue;
          let second = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < k; i++) if (i !== arg) second = Math.max(second, q[i] as number);
          tally.total++;
          if (out[r] === arg) tally.agree++;
          if (best - second > 0.05) {
            tally.clear++;
            if (out[r] === arg) tally.clearAgree++;
          }
        }
      };
    },
  };
}

for (let s = seed0; s < seed0 + seeds; s++) {
  const t0 = Date.now();
  const learner = metaRl.rl2({
    env,
    envOptions,
    hidden,
    gamma,
    lambda,
    lr,
    lrFinal,
    maxGradNorm: clip,
    entCoef: ent,
    entCoefFinal: entFinal,
    rewardScale,
    epochs,
    minibatches,
    trialsPerUpdate: batch,
  });
  const { policy, history } = await learner.train({
    totalSteps: steps,
    seed: s,
    ...(initParams ? { initParams } : {}),
    onUpdate: (u) => {
      if (u.update % 100 === 0)
        console.log(
          `  seed ${s} update ${u.update} steps ${u.steps} return ${u.meanTrialReturn.toFixed(3)} entropy ${u.entropy.toFixed(3)} kl ${u.approxKl.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
        );
    },
  });
  console.log(`  seed ${s}: ${history.length} updates in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (savePrefix !== undefined)
    writeFileSync(
      `${savePrefix}-seed${s}.json`,
      JSON.stringify({ arms, pulls, alpha, beta, hidden, params: Array.from(policy.params) }),
    );
  for (const p of [policy, policy.greedy()]) {
    const tally = { agree: 0, total: 0, clearAgree: 0, clear: 0, qLoss: 0 };
    const r = await metaRl.evaluateTrials(dpFeasible ? scored(p, tally) : p, evalOpts);
    const agreement =
      tally.total > 0
        ? `${((100 * tally.agree) / tally.total).toFixed(2)}% of ${tally.total}; where the Q-gap > 0.05: ${((100 * tally.clearAgree) / tally.clear).toFixed(2)}% of ${tally.clear}; Q-loss per trial ${(tally.qLoss / trials).toFixed(4)}`
        : '–';
    console.log(`rl2 seed ${s} ${p.name} ${fmt(r)} gap ${gap(r.meanReturn)} agreement ${agreement}`);
  }
}
