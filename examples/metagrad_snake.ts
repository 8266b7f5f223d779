// Meta-learned γ, λ on Snake-v0 (Jumanji's Snake, 6 x 6; Bonnet et al. 2021/2022 learn γ on the
// 12 x 12 board) next to the best fixed (γ, λ) of a 3 × 2 grid. Same agent for all, as in
// metagrad_gamma_lambda.ts: A2C (16 envs × 10 steps, RMSProp 3e-3, one 64-unit tanh layer,
// entropy 0.01, value 0.5), one-step exact meta-gradient with reference γ̄ 0.99, λ̄ 1, meta Adam
// 0.01; a fixed setting is the same agent with meta lr 0. The learned runs start from Bonnet et
// al.'s Snake setting γ₀ 0.8, λ 0.95, and from (0.95, 0.95). Score: mean return (fruits eaten) of
// 100 evaluation episodes of the final policy; mean ± 95% CI (t) over seeds. The grid's best is
// picked on the same seeds (an optimistic baseline). A small budget (default 100k env steps).
// --outerValue C gives the learned runs Bonnet et al.'s (2022) outer value head with cost C (the
// debiasing of a γ learned below γ̄); --skipFixed leaves the fixed grid out.
//   nice -n 10 npx tsx examples/metagrad_snake.ts [--seeds 5] [--steps 100000] [--out runs/metagrad_snake]
//     [--outerValue 0.5] [--skipFixed]
import { writeFileSync } from 'node:fs';
import type { MetaGradientOptions } from '../src/metarl/index.js';
import { arg, fmt, plotHistory, runOnce, type Summary, summarize } from './metagrad_harness.js';

const seeds = Array.from({ length: Number(arg('seeds', '5')) }, (_, i) => i + 1);
const steps = Number(arg('steps', '100000'));
const out = arg('out', 'runs/metagrad_snake');
const env = 'Snake-v0';
const GAMMAS = [0.8, 0.95, 0.99];
const LAMBDAS = [0.5, 0.95];
const outerValue = process.argv.includes('--outerValue') ? Number(arg('outerValue', '0.5')) : undefined;
const skipFixed = process.argv.includes('--skipFixed');

const base: MetaGradientOptions = { env, meta: ['gamma', 'lambda'] };
const rows: [string, Summary][] = [];
for (const gamma of skipFixed ? [] : GAMMAS)
  for (const lambda of LAMBDAS) {
    const scores: number[] = [];
    for (const seed of seeds)
      scores.push((await runOnce({ ...base, init: { gamma, lambda }, metaLr: 0 }, steps, seed, true)).evalReturn);
    rows.push([`fixed γ ${gamma} λ ${lambda}`, summarize(scores)]);
    console.log(rows.at(-1)?.[0], fmt(summarize(scores), 2));
  }
const best = rows.reduce((a, b) => (b[1].mean > a[1].mean ? b : a), ['', summarize([Number.NEGATIVE_INFINITY])]);
for (const [gamma, lambda] of [
  [0.8, 0.95],
  [0.95, 0.95],
] as const) {
  const label = `from (${gamma}, ${lambda})${outerValue === undefined ? '' : `, outer value head ${outerValue}`}`;
  const scores: number[] = [];
  const finals: string[] = [];
  for (const seed of seeds) {
    const r = await runOnce({ ...base, init: { gamma, lambda }, metaLr: 0.01, outerValue }, steps, seed, true);
    scores.push(r.evalReturn);
    finals.push(`(${r.result.hyper.gamma.toFixed(3)}, ${r.result.hyper.lambda.toFixed(3)})`);
    if (seed === seeds[0])
      await plotHistory(
        out,
        `${env}_from_${gamma}_${lambda}${outerValue === undefined ? '' : '_ov'}_seed${seed}`,
        r.result,
        ['gamma', 'lambda'],
        `${env}: γ, λ ${label}`,
      );
  }
  rows.push([`meta-gradient γ, λ ${label}; final (γ, λ) ${finals.join(' ')}`, summarize(scores)]);
  console.log(rows.at(-1)?.[0], fmt(summarize(scores), 2));
}
console.log(`\n${env}, ${steps} steps, seeds ${seeds.join(',')} — eval return (100 episodes), mean ± 95% CI`);
for (const [name, s] of rows) console.log(`  ${name === best[0] ? '*' : ' '} ${name}: ${fmt(s, 2)}`);
writeFileSync(
  `${out}/results.json`,
  JSON.stringify({ env, steps, seeds, rows: rows.map(([name, s]) => ({ name, ...s })) }, null, 1),
);
