// Meta-gradient updates per second, native vs js backend, on Catch-v0 (16 envs × 10 steps per
// rollout, one 64-unit tanh layer): the one-step exact meta-gradient, L = 3 unrolled steps, and
// BMG (K = 2, KL matching). One "update" = L inner updates with their rollouts + the meta step.
// Single thread; median of 3 runs of `--updates` updates each.
//   nice -n 10 npx tsx examples/metagrad_speed.ts [--updates 300]
import { backend, metaRl } from '../src/index.js';
import type { MetaGradientOptions } from '../src/metarl/index.js';
import { arg } from './metagrad_harness.js';

const updates = Number(arg('updates', '300'));
const base: MetaGradientOptions = { env: 'Catch-v0', meta: ['gamma', 'lambda'] };
const variants: [string, MetaGradientOptions, number][] = [
  ['exact L=1', base, 1],
  ['exact L=3', { ...base, innerSteps: 3 }, 3],
  ['BMG K=2 kl', { ...base, bmg: { steps: 2, match: 'kl' } }, 1],
];
backend.threads(1);
for (const [name, o, L] of variants) {
  const line: string[] = [];
  for (const b of ['native', 'js'] as const) {
    backend.use(b);
    const rates: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      await metaRl.metaGradient(o).train({ totalSteps: updates * L * 160 + 160, seed: rep });
      rates.push(updates / ((performance.now() - t0) / 1000));
    }
    rates.sort((a, c) => a - c);
    line.push(`${b} ${rates[1]!.toFixed(0)}/s`);
  }
  console.log(`${name}: ${line.join(', ')}`);
}
