// Task landscape and MAML (Collins, Mokhtari & Shakkottai 2020) on meta.tasks.linearLandscape:
// a linear model y = w·x + b (dim 10), half the tasks hard (input variance 0.05) and half easy
// (variance 1), MAML (1 inner SGD step at α = 0.4 — near 1/L of the easy tasks, so one step nearly solves them — second order) vs non-adaptive pre-training
// (NAL) with the same budget (outer Adam lr 0.01); both then adapt by one SGD step at α on 50 samples of a new task.
// Their claim: MAML's gain over NAL needs (i) a hardness discrepancy and (ii) hard tasks'
// solutions closely packed far from the easy ones'. Three landscapes: no discrepancy; hard
// solutions packed near the easy center; packed far from it (center 3 on e₁).
//
//   npx tsx examples/meta_landscape.ts [--iterations 2000] [--seed 0]
import { meta, optim } from '../src/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('iterations', 2000);
const seed = arg('seed', 0);
const model = { sizes: [10, 1], activation: 'identity' as const };
const alpha = 0.4;
const landscapes: [string, meta.tasks.LinearLandscapeOptions][] = [
  ['no hardness discrepancy (all variance 1), hard center 3', { hardCurvature: 1, hardCenter: 3 }],
  ['hard (variance 0.05) packed near the easy center', { hardCurvature: 0.05, hardCenter: 0 }],
  ['hard (variance 0.05) packed far from it (center 3)', { hardCurvature: 0.05, hardCenter: 3 }],
  [
    'hard (variance 0.02) packed farther (center 6), easy spread 0.5',
    { hardCurvature: 0.02, hardCenter: 6, easyRadius: 0.5 },
  ],
];
console.log('| landscape | NAL 0 / 1-step MSE | MAML 0 / 1-step MSE | NAL ÷ MAML (1 step) |');
console.log('|---|---:|---:|---:|');
for (const [name, o] of landscapes) {
  const tasks = meta.tasks.linearLandscape({ dim: 10, ...o });
  const common = { tasks, iterations: N, metaBatch: 25, shots: 50, queries: 20, seed };
  const ev = { tasks, count: 600, shots: 50, queries: 100, steps: 1, seed: 4242, lr: alpha };
  const maml = meta.maml({ model, innerLr: alpha, innerSteps: 1, optimizer: optim.adam({ lr: 0.01 }) });
  const nal = meta.pretrain({ model, innerLr: alpha, optimizer: optim.adam({ lr: 0.01 }) });
  const rm = maml.evaluate(await maml.train(common), ev);
  const rn = nal.evaluate(await nal.train(common), ev);
  const m = rm.mean[1] as number;
  const n = rn.mean[1] as number;
  console.log(
    `| ${name} | ${(rn.mean[0] as number).toFixed(2)} / ${n.toFixed(3)} ± ${(rn.ci95[1] as number).toFixed(3)} | ${(rm.mean[0] as number).toFixed(2)} / ${m.toFixed(3)} ± ${(rm.ci95[1] as number).toFixed(3)} | ${(n / m).toFixed(2)} |`,
  );
}
