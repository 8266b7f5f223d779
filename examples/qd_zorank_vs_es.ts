// ZO-RankSGD (only a ranking oracle: the order of the top k of m queried points) beside OpenAI-ES
// (full fitness values) on the 20-D sphere, x0 = 1 (f = 20), equal evaluation budgets, 5 seeds.
// Prints the best f at checkpoints as mean ± 95% CI (t, 4 dof) over seeds.
//   nice -n 10 npx tsx examples/qd_zorank_vs_es.ts
// Settings: ZO-RankSGD m = 10, k = 5 or 10, μ = 0.01, η = 0.05 decayed ×0.997 per step (the plain
// update's fixed η leaves a floor ∝ η: the estimate's length does not shrink with ‖∇f‖);
// OpenAI-ES with its defaults (24 members, Adam, σ decay).
import { evo } from '../src/index.js';

const D = 20;
const BUDGET = 12_000;
const SEEDS = [1, 2, 3, 4, 5];
const CHECKS = [1000, 3000, 6000, 12_000];
const sphere = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0);

async function trace(make: () => evo.Strategy, popSize: number, seed: number): Promise<number[]> {
  const best: number[] = [];
  await evo.optimize(sphere, {
    strategy: make(),
    x0: new Float32Array(D).fill(1),
    generations: Math.floor(BUDGET / popSize),
    seed,
    onGeneration: (s) => {
      for (const c of CHECKS) if (s.evaluations <= c && s.evaluations + popSize > c) best.push(s.bestFitness);
    },
  });
  return best;
}

const runs: [string, () => evo.Strategy, number][] = [
  [
    'ZO-RankSGD, top-5 of 10 ranked',
    () => evo.zoRank({ popSize: 10, topK: 5, lr: 0.05, lrDecay: 0.997 }) as evo.Strategy,
    10,
  ],
  [
    'ZO-RankSGD, all 10 ranked',
    () => evo.zoRank({ popSize: 10, topK: 10, lr: 0.05, lrDecay: 0.997 }) as evo.Strategy,
    10,
  ],
  ['OpenAI-ES, fitness values', () => evo.openaiEs({ popSize: 24 }) as unknown as evo.Strategy, 24],
];
const fmt = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${m.toExponential(2)} ± ${((2.776 * sd) / Math.sqrt(xs.length)).toExponential(1)}`;
};
console.log(`| method | ${CHECKS.map((c) => `f at ${c} evals`).join(' | ')} |`);
console.log(`|---|${CHECKS.map(() => '---').join('|')}|`);
for (const [name, make, pop] of runs) {
  const per = await Promise.all(SEEDS.map((s) => trace(make, pop, s)));
  console.log(`| ${name} | ${CHECKS.map((_, i) => fmt(per.map((p) => p[i] as number))).join(' | ')} |`);
}
