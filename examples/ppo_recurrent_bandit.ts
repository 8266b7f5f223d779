// Where memory is needed: 2-armed Bernoulli bandits, 20 pulls per episode (Bandit-v0, p ~ U[0, 1]
// per arm). The observation is only the last action (one-hot) and reward, so a feed-forward policy
// can at best react to the last pull (win-stay/lose-shift); a recurrent one can count. Trains
// feed-forward PPO and recurrent PPO (rl.ppo.train({ recurrent })) with the same budget, then
// evaluates both (greedy and sampled actions) on held-out tasks beside random play (10 per episode)
// and the exact Bayes-optimal value (metaRl.BetaBernoulliDp).
// Caveat: Bandit-v0 keeps a row's arms across episodes, so training sees numEnvs fixed tasks
// (64 here); evaluation uses 32 fresh ones per seed.
//
//   nice -n 10 npx tsx examples/ppo_recurrent_bandit.ts [--steps 300000] [--seeds 2]
import { metaRl, rl } from '../src/index.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const totalSteps = opt('steps', 300_000);
const seeds = opt('seeds', 2);
const pulls = 20;
const envOptions = { arms: 2, pulls };
const common = {
  env: 'Bandit-v0',
  envOptions,
  totalSteps,
  numEnvs: 64,
  numSteps: 40,
  numMinibatches: 4,
  updateEpochs: 4,
  entCoef: 0.01,
  gamma: 0.99,
  lr: 1e-3,
} as const;

const ci = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean: m, half: (1.96 * sd) / Math.sqrt(xs.length) };
};
const fmt = (x: { mean: number; half: number }) => `${x.mean.toFixed(2)} ± ${x.half.toFixed(2)}`;

const rows: Record<string, number[]> = {};
const add = (k: string, v: number[]) => {
  rows[k] = [...(rows[k] ?? []), ...v];
};
for (let seed = 1; seed <= seeds; seed++) {
  const ff = await rl.ppo.train({ ...common, seed });
  const rec = await rl.ppo.train({ ...common, seed, recurrent: { cell: 'gru', hidden: 64, seqLen: 20 } });
  for (const [name, policy] of [
    ['feed-forward PPO', ff.policy],
    ['recurrent PPO (GRU 64)', rec.policy],
  ] as const) {
    for (const deterministic of [true, false]) {
      const ev = await rl.evaluate(policy, { episodes: 640, numEnvs: 32, seed: 1000 + seed, deterministic });
      add(`${name}, ${deterministic ? 'greedy' : 'sampled'}`, ev.returns);
    }
  }
  console.log(
    `seed ${seed}: training return (last 100 episodes) ff ${ff.history.at(-1)?.meanReturn.toFixed(2)}, ` +
      `recurrent ${rec.history.at(-1)?.meanReturn.toFixed(2)}`,
  );
}
const bayes = new metaRl.BetaBernoulliDp(2, pulls, 1, 1).rootValue();
console.log(`\n2-armed Bernoulli bandit, ${pulls} pulls, p ~ U[0,1]; ${totalSteps} steps × ${seeds} seeds`);
console.log(`random: ${(pulls / 2).toFixed(2)}   Bayes-optimal (exact DP): ${bayes.toFixed(2)}`);
for (const [k, v] of Object.entries(rows)) console.log(`${k}: ${fmt(ci(v))} per episode (n = ${v.length})`);
