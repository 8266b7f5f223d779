// PBT of PPO (Jaderberg et al. 2017) vs random search over the same hyperparameters with the same
// budget: both run `population` PPO members for `generations` × `interval` env steps each; random
// search is evo.pbt with truncation 0 (independent members, the same initial draws as PBT's for
// the same seed, so the comparison is paired). Searched: lr ∈ [1e-5, 1e-2], entCoef ∈ [1e-4, 0.1],
// clipCoef ∈ [0.05, 0.5] (log-uniform); the rest are CleanRL's defaults with annealLr off.
// Reports per seed and mean ± 95% CI: the best member's final training score (mean return of its
// last 100 training episodes) and its greedy evaluation over 20 episodes (seed 1000).
// Figure: examples/pbt_ppo_<env>_lr.svg, every PBT member's learning rate by generation (first seed).
//   nice -n 10 npx tsx examples/pbt_ppo.ts [--env Acrobot-v1] [--seeds 1,2,3] [--population 8]
//     [--interval 20000] [--generations 8] [--out examples]
import { writeLineChart } from '../src/cli/plot.js';
import { evo, rl } from '../src/index.js';
import { parseArgs } from './ppo_harness.js';

const args = parseArgs(process.argv.slice(2));
const env = args.env ?? 'Acrobot-v1';
const seeds = (args.seeds ?? '1,2,3').split(',').map(Number);
const population = Number(args.population ?? 8);
const interval = Number(args.interval ?? 20_000);
const generations = Number(args.generations ?? 8);
const out = args.out ?? 'examples';
const hyper = { lr: [1e-5, 1e-2], entCoef: [1e-4, 0.1], clipCoef: [0.05, 0.5] } as const;

const tCi = [Number.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262];
const ci = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return `${m.toFixed(1)}`;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${m.toFixed(1)} ± ${(((tCi[xs.length - 1] ?? 2) * sd) / Math.sqrt(xs.length)).toFixed(1)}`;
};
const fmt = (h: Readonly<Record<string, number>>) =>
  Object.entries(h)
    .map(([k, v]) => `${k} ${v.toPrecision(2)}`)
    .join(', ');

console.log(
  `${env}: ${population} members × ${generations} generations × ${interval} steps ` +
    `(${((population * generations * interval) / 1e6).toFixed(2)}M steps per run)`,
);
const rows: Record<string, { train: number[]; greedy: number[]; mean: number[] }> = {};
for (const [label, truncation] of [
  ['PBT (truncation 0.25)', 0.25],
  ['random search', 0],
] as const) {
  const r = { train: [] as number[], greedy: [] as number[], mean: [] as number[] };
  rows[label] = r;
  for (const seed of seeds) {
    const t0 = performance.now();
    const res = await evo.pbt({ trainer: 'ppo', env, population, hyper, interval, generations, seed, truncation });
    const policy = rl.Policy.fromCheckpoint(res.best.state);
    const greedy = (await rl.evaluate(policy, { episodes: 20, seed: 1000 })).meanReturn;
    const finals = res.members.map((m) => m.score[generations - 1] as number);
    r.train.push(res.best.score);
    r.greedy.push(greedy);
    r.mean.push(finals.reduce((a, b) => a + b, 0) / finals.length);
    if (truncation > 0 && seed === seeds[0]) {
      const rows = Array.from({ length: generations }, (_, g) => {
        const row: Record<string, number> = { generation: g };
        res.members.forEach((m, i) => {
          row[`member ${i}`] = m.hyper[g]?.lr as number;
        });
        return row;
      });
      await writeLineChart(`${out}/pbt_ppo_${env}_lr.svg`, rows, {
        x: 'generation',
        y: res.members.map((_, i) => `member ${i}`),
        logY: true,
        title: `PBT of PPO on ${env}: lr by generation (seed ${seed})`,
        yTitle: 'learning rate',
      });
    }
    const m = res.members[res.best.member] as evo.PbtMemberTrace;
    console.log(
      `  ${label} seed ${seed}: best member ${res.best.member} train ${res.best.score.toFixed(1)}, greedy ` +
        `${greedy.toFixed(1)}, population mean ${(r.mean.at(-1) as number).toFixed(1)} ` +
        `(${((performance.now() - t0) / 1000).toFixed(0)} s); its lr by generation: ` +
        `${m.hyper.map((h) => (h.lr as number).toExponential(1)).join(' ')}; parents ${m.parent.join(' ')}; final ${fmt(res.best.hyper)}`,
    );
  }
}
console.log(`\n| ${env} | best member, training score | best member, greedy (20 ep) | population mean |`);
console.log('|---|---|---|---|');
for (const [label, r] of Object.entries(rows))
  console.log(`| ${label} | ${ci(r.train)} | ${ci(r.greedy)} | ${ci(r.mean)} |`);
