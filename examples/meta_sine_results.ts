// The sine results of the meta-learning issue: Finn et al.'s setting (K = 10, 1-40-40-1 ReLU,
// meta-batch 25, inner lr 0.01, Adam 1e-3, Finn's init) for one learner, then the mean query MSE
// over 600 held-out tasks (100 query points each) after 0, 1 and 10 SGD steps (lr 0.01).
//
//   npx tsx examples/meta_sine_results.ts maml [--iterations 70000] [--seed 0] [--json]
//   learners: maml fomaml reptile metasgd anil imaml pretrain
//   iMAML: [--lambda 2] [--inner-steps 5] [--cg-steps 3] [--inner-lr 0.01]
//
// Besides the mean (± 95% CI) the row gives the median and `diverged`, the number of held-out
// tasks whose loss after 10 steps is not finite or above its loss before adaptation. Plain SGD at
// 0.01 is unstable on a task whose support-loss Hessian has an eigenvalue above 2/0.01 = 200;
// MAML's one-step objective does not keep every task below that, so depending on the seed a few
// high-amplitude tasks can blow up at 3-10 steps and turn the mean into Infinity/NaN while the
// median stays small. Report both, and several seeds (--seed sets the initialization and the
// training task stream; the held-out tasks stay the same).
import { backend, meta } from '../src/index.js';
import { key } from '../src/random/index.js';

const args = process.argv.slice(2);
const which = args[0] ?? 'maml';
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const iterations = opt('iterations', 70_000);
const seed = opt('seed', 0);
const model = { sizes: [1, 40, 40, 1], activation: 'relu' as const };
const common = { model, loss: 'mse' as const, innerLr: 0.01 };
const factories: Record<string, () => meta.MetaLearner> = {
  maml: () => meta.maml({ ...common, innerSteps: 1 }),
  fomaml: () => meta.fomaml({ ...common, innerSteps: 1 }),
  reptile: () => meta.reptile({ ...common, innerSteps: 5 }),
  metasgd: () => meta.metaSgd({ ...common, innerSteps: 1 }),
  anil: () => meta.anil({ ...common, innerSteps: 1 }),
  imaml: () =>
    meta.imaml({
      ...common,
      innerLr: opt('inner-lr', 0.01),
      innerSteps: opt('inner-steps', 5),
      lambda: opt('lambda', 2),
      cgSteps: opt('cg-steps', 3),
    }),
  pretrain: () => meta.pretrain(common),
};
const make = factories[which];
if (!make) throw new Error(`unknown learner '${which}' (${Object.keys(factories).join(', ')})`);
const learner = make();
const tasks = meta.tasks.sine();
const init = meta.truncatedNormalInit(model.sizes, key(seed), 0.01);
const t0 = performance.now();
const params = await learner.train({ tasks, iterations, metaBatch: 25, shots: 10, queries: 10, seed, init });
const trainSeconds = (performance.now() - t0) / 1000;
// Held-out tasks: another seed than training's task stream. Adapt with plain SGD at 0.01
// (Meta-SGD with its learned rates, ANIL its head only, iMAML with its proximal term).
const r = learner.evaluate(params, { tasks, count: 600, shots: 10, queries: 100, steps: 10, seed: 424242 });
let diverged = 0;
for (let t = 0; t < r.count; t++) {
  const last = r.losses[t * 11 + 10] as number;
  if (!(last <= (r.losses[t * 11] as number))) diverged++;
}
// The torch reference (measured-here 3b) evaluated 100 held-out tasks; the mean over our first 100
// of the 600 gives a like-for-like figure (a task that diverges is rarer among 100 than among 600).
const first100 = [0, 1, 10].map((k) => {
  let sum = 0;
  for (let t = 0; t < 100; t++) sum += r.losses[t * 11 + k] as number;
  return Number.isFinite(sum) ? Number((sum / 100).toFixed(3)) : String(sum / 100);
});
const row = {
  learner: which,
  seed,
  backend: backend.current(),
  threads: backend.threads(),
  iterations,
  trainSeconds: Number(trainSeconds.toFixed(1)),
  mse0: Number(r.mean[0]?.toFixed(3)),
  ci0: Number(r.ci95[0]?.toFixed(3)),
  mse1: Number(r.mean[1]?.toFixed(3)),
  ci1: Number(r.ci95[1]?.toFixed(3)),
  mse10: Number(r.mean[10]?.toFixed(3)),
  ci10: Number(r.ci95[10]?.toFixed(3)),
  median0: Number(r.median[0]?.toFixed(3)),
  median1: Number(r.median[1]?.toFixed(3)),
  median10: Number(r.median[10]?.toFixed(3)),
  diverged,
  first100,
  // Mean query MSE after 0..10 steps (Infinity/NaN when plain SGD at this rate diverges).
  curve: Array.from(r.mean, (v) => (Number.isFinite(v) ? Number(v.toFixed(3)) : String(v))),
};
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(row)}\n`);
else
  process.stdout.write(
    `${which}: ${iterations} iterations in ${row.trainSeconds} s (${row.backend}, ${row.threads} threads); ` +
      `MSE 0/1/10 steps: ${row.mse0} ± ${row.ci0} / ${row.mse1} ± ${row.ci1} / ${row.mse10} ± ${row.ci10}; ` +
      `median ${row.median0} / ${row.median1} / ${row.median10}; first 100 tasks ${first100.join(' / ')}; ` +
      `${diverged}/${r.count} tasks diverged by step 10\n`,
  );
