// The non-stationary two-colour grid (TwoColorGrid-v0, rewards of the two objects swap every
// `swapEvery` steps): a fixed entropy cost (best of a grid) vs the meta-gradient (entropy learned,
// L inner steps) vs BMG (entropy learned; target K more steps + one outer step; KL matching), as
// in Flennerhag et al. 2022's grid-world experiment (their replication's settings where stated;
// ours are smaller: swapEvery 20k, 300k steps). Score: mean reward per step over the whole run
// (online performance, the paper's measure on a non-stationary task); mean ± 95% CI over seeds.
//   nice -n 10 npx tsx examples/metagrad_two_color.ts [--seeds 5] [--steps 300000] [--out runs/metagrad]
import type { MetaGradientOptions } from '../src/metarl/index.js';
import { arg, fmt, plotHistory, runOnce, summarize } from './metagrad_harness.js';

const seeds = Array.from({ length: Number(arg('seeds', '5')) }, (_, i) => i + 1);
const steps = Number(arg('steps', '300000'));
const L = Number(arg('L', '3'));
const out = arg('out', 'runs/metagrad');
const base: MetaGradientOptions = {
  env: 'TwoColorGrid-v0',
  envOptions: { swapEvery: 20_000 },
  meta: ['entropy'],
  numSteps: 16,
  hidden: [64],
  reference: { gamma: 0.99, lambda: 1, entropy: 0 },
};

const rows: [string, ReturnType<typeof summarize>][] = [];
async function variant(name: string, o: MetaGradientOptions, plot: boolean): Promise<void> {
  const scores: number[] = [];
  const finals: string[] = [];
  for (const seed of seeds) {
    const r = await runOnce(o, steps, seed, false);
    scores.push(r.onlineReward);
    finals.push(r.result.hyper.entropy.toPrecision(2));
    if (plot && seed === seeds[0])
      await plotHistory(
        out,
        `two_color_${name.split(' ')[0]}_seed${seed}`,
        r.result,
        ['entropy'],
        `TwoColorGrid: ${name}`,
      );
  }
  rows.push([`${name}; final entropy ${finals.join(' ')}`, summarize(scores)]);
  console.log(`  ${rows[rows.length - 1]![0]}: ${fmt(rows[rows.length - 1]![1], 4)}`);
}

console.log(
  `TwoColorGrid-v0, swapEvery 20000, ${steps} steps, seeds ${seeds.join(',')} — mean reward per step, mean ± 95% CI`,
);
for (const entropy of [0.001, 0.01, 0.1])
  await variant(`fixed entropy ${entropy}`, { ...base, init: { entropy }, metaLr: 0 }, false);
await variant(`meta-gradient L=${L}`, { ...base, init: { entropy: 0.01 }, innerSteps: L, metaLr: 1e-2 }, true);
await variant(
  `BMG L=1 K=${L - 1} kl`,
  { ...base, init: { entropy: 0.01 }, innerSteps: 1, bmg: { steps: L - 1, match: 'kl' }, metaLr: 1e-2 },
  true,
);
