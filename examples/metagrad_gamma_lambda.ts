// Meta-learned γ, λ (Xu et al. 2018, one-step exact meta-gradient, reference γ̄ 0.99, λ̄ 1) next
// to the best fixed (γ, λ) of a 3 × 2 grid, on Catch-v0 and CartPole-v1. Same agent for all: A2C
// (16 envs × 10 steps, RMSProp 3e-3, one 64-unit tanh layer, entropy 0.01, value 0.5); a fixed
// setting is the same agent with meta lr 0. Score: mean return of 100 evaluation episodes of the
// final policy; mean ± 95% CI (t) over seeds. The grid's best is picked on the same seeds (an
// optimistic baseline).
//   nice -n 10 npx tsx examples/metagrad_gamma_lambda.ts [--seeds 5] [--env Catch-v0] [--metaLr 0.01] [--out runs/metagrad]
import type { MetaGradientOptions } from '../src/metarl/index.js';
import { arg, fmt, plotHistory, runOnce, summarize } from './metagrad_harness.js';

const seeds = Array.from({ length: Number(arg('seeds', '5')) }, (_, i) => i + 1);
const out = arg('out', 'runs/metagrad');
const metaLr = Number(arg('metaLr', '0.01'));
const ENVS = [
  { env: 'Catch-v0', steps: 40_000 },
  { env: 'CartPole-v1', steps: 150_000 },
].filter((e) => arg('env', e.env) === e.env);
const GAMMAS = [0.8, 0.95, 0.99];
const LAMBDAS = [0.5, 0.95];

for (const { env, steps } of ENVS) {
  const base: MetaGradientOptions = { env, meta: ['gamma', 'lambda'] };
  const rows: [string, ReturnType<typeof summarize>][] = [];
  for (const gamma of GAMMAS)
    for (const lambda of LAMBDAS) {
      const scores: number[] = [];
      for (const seed of seeds)
        scores.push((await runOnce({ ...base, init: { gamma, lambda }, metaLr: 0 }, steps, seed, true)).evalReturn);
      rows.push([`fixed γ ${gamma} λ ${lambda}`, summarize(scores)]);
    }
  const best = rows.reduce((a, b) => (b[1].mean > a[1].mean ? b : a));
  const starts: [string, number, number, boolean][] = [
    ['from (0.95, 0.95)', 0.95, 0.95, false],
    ['from (0.95, 0.95), η-conditioned', 0.95, 0.95, true],
    ['from (0.95, 0.5)', 0.95, 0.5, false],
  ];
  for (const [label, gamma, lambda, condition] of starts) {
    const scores: number[] = [];
    const finals: string[] = [];
    for (const seed of seeds) {
      const r = await runOnce({ ...base, init: { gamma, lambda }, metaLr, condition }, steps, seed, true);
      scores.push(r.evalReturn);
      const m = r.result.hyper;
      finals.push(`(${m.gamma.toFixed(3)}, ${m.lambda.toFixed(3)})`);
      const file = `${env}_${label.replace(/[^0-9a-z]+/gi, '_')}_seed${seed}`;
      if (seed === seeds[0])
        await plotHistory(out, file, r.result, ['gamma', 'lambda'], `${env}: meta-learned γ, λ ${label}`);
    }
    rows.push([`meta-gradient γ, λ ${label}; final (γ, λ) ${finals.join(' ')}`, summarize(scores)]);
  }
  console.log(`\n${env}, ${steps} steps, seeds ${seeds.join(',')} — eval return (100 episodes), mean ± 95% CI`);
  for (const [name, s] of rows) console.log(`  ${name === best[0] ? '*' : ' '} ${name}: ${fmt(s, 2)}`);
}
