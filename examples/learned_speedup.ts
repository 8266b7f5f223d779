// VeLO's metric for a meta-trained learned.mlpOptimizer on held-out tasks of its training family:
// the steps learning-rate-tuned Adam needs (lower envelope over a 7-point log lr grid 1e-3…1, noise
// repeats averaged: learned.adamSpeedup) to reach the learned optimizer's loss at the training horizon
// T, divided by T (target ≥ 1.5), and the same at 4T (the learned optimizer run past its horizon,
// Adam's steps divided by 4T). Mean ± 95% CI (Student t) over meta-training seeds.
//
//   npx tsx examples/learned_speedup.ts --task quadratic|mlp-regression|mlp-classification
//     [--seeds 5] [--iterations 2000] [--population 32] [--hidden 32,32] [--step-mult 0.1]
//     [--lr 3e-3] [--objective mean|final] [--estimator pes|es|truncatedEs] [--horizon 50]
//     [--truncation 10] [--sigma 0.01] [--stagger 1] [--held 20] [--json]
//
// Defaults are the configuration the ablation in examples/learned_ablation.sh chose (see its header).
import { learned, optim, random } from '../src/index.js';

const argv = process.argv;
const str = (name: string, dflt: string): string => {
  const i = argv.lastIndexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : dflt;
};
const num = (name: string, dflt: number): number => Number(str(name, String(dflt)));
const TASK = str('task', 'quadratic');
const SEEDS = num('seeds', 5);
const ITERATIONS = num('iterations', 2000);
const POP = num('population', 32);
const HIDDEN = str('hidden', '32,32').split(',').map(Number);
const STEP_MULT = num('step-mult', 0.1);
const LR = num('lr', 3e-3);
const OBJECTIVE = str('objective', 'final') as 'mean' | 'final';
const ESTIMATOR = str('estimator', 'pes') as learned.EstimatorName;
const T = num('horizon', 50);
const K = num('truncation', 10);
const SIGMA = num('sigma', 0.01);
const HELD = num('held', 20);
const STAGGER = num('stagger', 1) !== 0;
const CAP = 10;

function family(): { fam: learned.TaskFamily; layout?: learned.tasks.MlpRegressionFamily['layout']; noisy: boolean } {
  if (TASK === 'quadratic')
    return { fam: learned.tasks.quadratic({ dim: 8, minEig: 1e-2, maxEig: 10, noise: 0.1 }), noisy: true };
  if (TASK === 'mlp-regression') {
    const fam = learned.tasks.mlpRegression({ width: 16, depth: 2, inputs: 8, points: 64 });
    return { fam, layout: fam.layout, noisy: false };
  }
  if (TASK === 'mlp-classification') {
    const fam = learned.tasks.mlpClassification({ width: 16, depth: 2, inputs: 8, classes: 4, points: 64 });
    return { fam, layout: fam.layout, noisy: false };
  }
  throw new RangeError(`--task: unknown ${TASK}`);
}

function ci95(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [m, Number.NaN];
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  const tq = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26][xs.length - 2] ?? 1.96;
  return [m, (tq * sd) / Math.sqrt(xs.length)];
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const { fam, layout, noisy } = family();
const lo = learned.mlpOptimizer({ hidden: HIDDEN, stepMult: STEP_MULT, ...(layout ? { layout } : {}) });
const at1: number[] = [];
const at4: number[] = [];
const logRatio: number[] = [];
const t0 = Date.now();
for (let seed = 0; seed < SEEDS; seed++) {
  const ts = Date.now();
  const { theta, history } = await learned.train({
    optimizer: lo,
    tasks: fam,
    estimator: ESTIMATOR,
    objective: OBJECTIVE,
    iterations: ITERATIONS,
    horizon: T,
    truncation: K,
    population: POP,
    sigma: SIGMA,
    stagger: STAGGER,
    outerOptimizer: optim.adam({ lr: LR }),
    seed,
  });
  const held = fam.sample(random.key(10_000 + seed), HELD);
  const r1: number[] = [];
  const r4: number[] = [];
  const lr: number[] = [];
  for (const [i, task] of held.entries()) {
    const common = { task, cap: CAP, repeats: noisy ? 5 : 1, key: random.key(i) };
    const a = learned.adamSpeedup({ ...common, optimizer: lo.optimizer(theta), horizon: T });
    const b = learned.adamSpeedup({ ...common, optimizer: lo.optimizer(theta), horizon: 4 * T, cap: CAP / 2 });
    r1.push(a.ratio);
    r4.push(b.ratio);
    lr.push(Math.log(a.loss) - Math.log(a.adamLossAtHorizon));
  }
  at1.push(mean(r1));
  at4.push(mean(r4));
  logRatio.push(mean(lr));
  const m = (a: number, b: number) => mean(history.slice(a, b).map((e) => e.metaLoss));
  console.error(
    `seed ${seed}: meta-loss ${m(0, 20).toFixed(3)} → ${m(-20, undefined as unknown as number).toFixed(3)}; ` +
      `Adam steps / T ${mean(r1).toFixed(2)}, / 4T ${mean(r4).toFixed(2)}; log(loss_LO / loss_Adam@T) ${mean(lr).toFixed(3)} ` +
      `(${((Date.now() - ts) / 1000).toFixed(0)} s)`,
  );
}
const out = {
  task: TASK,
  config: { ITERATIONS, POP, HIDDEN, STEP_MULT, LR, OBJECTIVE, ESTIMATOR, T, K, SIGMA, HELD, STAGGER },
  seeds: SEEDS,
  adamStepsRatioAtT: ci95(at1),
  adamStepsRatioAt4T: ci95(at4),
  logLossVsAdamAtT: ci95(logRatio),
  wallSeconds: (Date.now() - t0) / 1000,
};
const fmt = ([m, c]: [number, number]) => `${m.toFixed(2)} ± ${c.toFixed(2)}`;
if (argv.includes('--json')) console.log(JSON.stringify(out));
else
  console.log(
    `${TASK}: steps Adam needs / T = ${fmt(out.adamStepsRatioAtT)} (target ≥ 1.5), at 4T ${fmt(out.adamStepsRatioAt4T)}; ` +
      `log(loss / Adam envelope at T) ${fmt(out.logLossVsAdamAtT)} over ${SEEDS} seeds`,
  );
