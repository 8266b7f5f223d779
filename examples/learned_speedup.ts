// VeLO's metric for a meta-trained learned.mlpOptimizer on held-out tasks of its training family:
// the steps learning-rate-tuned Adam needs (lower envelope over a 7-point log lr grid 1e-3…1, noise
// repeats averaged: learned.adamSpeedup) to reach the learned optimizer's loss at the training horizon
// T, divided by T (target ≥ 1.5), and the same at 4T (the learned optimizer run past its horizon,
// Adam's steps divided by 4T). Mean ± 95% CI (Student t) over meta-training seeds.
//
//   npx tsx examples/learned_speedup.ts --task quadratic|mlp-regression|mlp-classification
//     [--seeds 5] [--iterations 2000] [--population 64] [--hidden 32,32] [--step-mult 0.01]
//     [--lr 3e-3] [--objective mean|final] [--estimator pes|es|truncatedEs] [--horizon 50]
//     [--truncation 10] [--sigma 0.01] [--stagger 0] [--held 20] [--spread 1.5] [--json] [--ablation]
//     [--clip 0] [--out-init 1] [--first-seed 0]
//
// Measured (2 shared, loaded cores; ± = 95% CI over 5 meta-training seeds; Adam steps / T, then / 4T):
//   quadratic (dim 8, noise 0.1; 2000 iterations, population 64, 20 held-out tasks)  1.35 ± 0.20, 0.31 ± 0.07
//   mlp-regression (μP student w16; 500 iterations, population 32, 10 tasks)         0.71 ± 0.07, 0.27 ± 0.06
//   mlp-classification spread 1.5 (separable; 500 it., population 32, 10 tasks)      5.38 ± 0.59, 3.93 ± 1.01
//   mlp-classification spread 0.5 (same)                                             7.52 ± 0.55, 2.22 ± 1.05
// (the MLP runs: --iterations 500 --population 32 --stagger 1). A 5× budget (learned.train's batched
// population path, one kernel call per truncation), 5 seeds (0–2 and, with --first-seed 3, 3–4):
//   quadratic, --iterations 10000                                                    1.88 ± 0.52, 0.36 ± 0.22
//   quadratic, --iterations 10000 --clip 1 --out-init 0.1                            1.98 ± 0.47, 0.33 ± 0.20
// (per seed at T: 2.23 2.32 1.28 1.79 1.76, and 2.30 2.27 1.48 1.68 2.19; learned_optimization's outer
// gradient clipping and small output layer do not change the result beyond seed noise). Ablation screen (2 seeds, 10 tasks,
// quadratic, Adam steps / T): previous 300 iterations 0.89; 2000 iterations 1.33; + population 64
// 1.54; stepMult 0.1 1.05; 'final' objective 1.30; staggered pairs 1.13; hidden [4, 4] 1.22; outer
// lr 1e-2 0.88; full-unroll ES 1.52; PES with K = T 1.52 (= ES); stepMult 0.1 + final + staggered +
// population 32 1.13. Two independent full-unroll ES gradients at θ₀ have cosine 0.00 (population
// 16 and 64) and 0.03 (256): single estimates are nearly pure noise in 2,402 dimensions, so iterations
// and population are what move the result.
// Defaults are the configuration the ablation chose. `--ablation` runs the one-factor-at-a-time screen
// from the previous configuration instead (use --seeds 2 --held 10): one line per variant.
// Held-out tasks: key 10000 (meta-training draws from other keys), shared by every seed.
import { learned, optim, random } from '../src/index.js';

const argv = process.argv;
const str = (name: string, dflt: string): string => {
  const i = argv.lastIndexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : dflt;
};
const num = (name: string, dflt: number): number => Number(str(name, String(dflt)));
const TASK = str('task', 'quadratic');
const SEEDS = num('seeds', 5);
// meta-training seeds FIRST … FIRST + SEEDS − 1 (more seeds of a run, in a separate process)
const FIRST = num('first-seed', 0);
const HELD = num('held', 20);
const CAP = 10;

/** One meta-training configuration. */
interface Config {
  iterations: number;
  population: number;
  hidden: number[];
  stepMult: number;
  lr: number;
  objective: 'mean' | 'final';
  estimator: learned.EstimatorName;
  horizon: number;
  truncation: number;
  sigma: number;
  stagger: boolean;
  /** Global-norm clip of the outer gradient before Adam (0: none). */
  clip: number;
  /** Scale of the initial output-layer weights (1: the reference init; 0.1: a small first step). */
  outInit: number;
}
const FLAGS: Config = {
  iterations: num('iterations', 2000),
  population: num('population', 64),
  hidden: str('hidden', '32,32').split(',').map(Number),
  stepMult: num('step-mult', 0.01),
  lr: num('lr', 3e-3),
  objective: str('objective', 'mean') as 'mean' | 'final',
  estimator: str('estimator', 'pes') as learned.EstimatorName,
  horizon: num('horizon', 50),
  truncation: num('truncation', 10),
  sigma: num('sigma', 0.01),
  stagger: num('stagger', 0) !== 0,
  clip: num('clip', 0),
  outInit: num('out-init', 1),
};
// --ablation: one factor at a time from the previous configuration (2 seeds, shared held-out set)
const OLD: Config = {
  ...FLAGS,
  iterations: 2000,
  population: 16,
  hidden: [32, 32],
  stepMult: 0.01,
  lr: 3e-3,
  objective: 'mean',
  estimator: 'pes',
  truncation: 10,
  stagger: false,
};
const VARIANTS: [string, Config][] = [
  ['previous (300 iterations)', { ...OLD, iterations: 300 }],
  ['2000 iterations', OLD],
  ['population 64', { ...OLD, population: 64 }],
  ['stepMult 0.1', { ...OLD, stepMult: 0.1 }],
  ["objective 'final'", { ...OLD, objective: 'final' }],
  ['staggered pairs', { ...OLD, stagger: true }],
  ['hidden [4, 4] (reference default)', { ...OLD, hidden: [4, 4] }],
  ['outer lr 1e-2', { ...OLD, lr: 1e-2 }],
  ['full-unroll ES', { ...OLD, estimator: 'es' }],
  ['PES K = T (no truncation)', { ...OLD, truncation: 50 }],
  [
    'stepMult 0.1 + final + staggered + population 32',
    { ...OLD, stepMult: 0.1, objective: 'final', stagger: true, population: 32 },
  ],
];

function family(): { fam: learned.TaskFamily; layout?: learned.tasks.MlpRegressionFamily['layout']; noisy: boolean } {
  if (TASK === 'quadratic')
    return { fam: learned.tasks.quadratic({ dim: 8, minEig: 1e-2, maxEig: 10, noise: 0.1 }), noisy: true };
  if (TASK === 'mlp-regression') {
    const fam = learned.tasks.mlpRegression({ width: 16, depth: 2, inputs: 8, points: 64 });
    return { fam, layout: fam.layout, noisy: false };
  }
  if (TASK === 'mlp-classification') {
    const fam = learned.tasks.mlpClassification({
      width: 16,
      depth: 2,
      inputs: 8,
      classes: 4,
      points: 64,
      spread: num('spread', 1.5),
    });
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
const T0 = FLAGS.horizon;
// the held-out tasks (keys never used by meta-training) and their Adam envelopes, shared by every
// seed and variant: enough steps for cap·T and (cap/2)·4T
const held = fam.sample(random.key(10_000), HELD);
const envSteps = 2 * CAP * T0;
const envelopes = held.map((task, i) =>
  learned.adamEnvelope({ task, steps: envSteps, repeats: noisy ? 5 : 1, key: random.key(i) }),
);

interface Result {
  adamStepsRatioAtT: [number, number];
  adamStepsRatioAt4T: [number, number];
  logLossVsAdamAtT: [number, number];
  [key: string]: unknown;
}

async function evaluate(cfg: Config): Promise<Result> {
  const lo = learned.mlpOptimizer({ hidden: cfg.hidden, stepMult: cfg.stepMult, ...(layout ? { layout } : {}) });
  const T = cfg.horizon;
  const at1: number[] = [];
  const at4: number[] = [];
  const logRatio: number[] = [];
  const t0 = Date.now();
  for (let seed = FIRST; seed < FIRST + SEEDS; seed++) {
    const ts = Date.now();
    // learned_optimization's small output layer at init: the first steps start near a plain
    // momentum/Adam-like direction of small size instead of a random one
    const theta0 = lo.init(seed);
    const h = cfg.hidden[cfg.hidden.length - 1] as number;
    const outStart = lo.size - (h * 2 + 2);
    for (let i = outStart; i < lo.size - 2; i++) theta0[i] = (theta0[i] as number) * cfg.outInit;
    const outer = optim.adam({ lr: cfg.lr });
    const { theta, history } = await learned.train({
      theta: theta0,
      optimizer: lo,
      tasks: fam,
      estimator: cfg.estimator,
      objective: cfg.objective,
      iterations: cfg.iterations,
      horizon: T,
      truncation: cfg.truncation,
      population: cfg.population,
      sigma: cfg.sigma,
      stagger: cfg.stagger,
      outerOptimizer: cfg.clip > 0 ? optim.chain(optim.clipByGlobalNorm(cfg.clip), outer) : outer,
      seed,
    });
    const r1: number[] = [];
    const r4: number[] = [];
    const lr: number[] = [];
    for (const [i, task] of held.entries()) {
      const common = { task, repeats: noisy ? 5 : 1, key: random.key(i), envelope: envelopes[i] as Float64Array };
      const a = learned.adamSpeedup({ ...common, optimizer: lo.optimizer(theta), horizon: T, cap: CAP });
      const b = learned.adamSpeedup({ ...common, optimizer: lo.optimizer(theta), horizon: 4 * T, cap: CAP / 2 });
      r1.push(a.ratio);
      r4.push(b.ratio);
      lr.push(Math.log(Math.max(a.loss, 1e-30)) - Math.log(Math.max(a.adamLossAtHorizon, 1e-30)));
    }
    at1.push(mean(r1));
    at4.push(mean(r4));
    logRatio.push(mean(lr));
    const m = (xs: learned.TrainHistoryEntry[]) => mean(xs.map((e) => e.metaLoss));
    console.error(
      `seed ${seed}: meta-loss ${m(history.slice(0, 50)).toFixed(3)} → ${m(history.slice(-50)).toFixed(3)}; ` +
        `Adam steps / T ${mean(r1).toFixed(2)}, / 4T ${mean(r4).toFixed(2)}; log(loss_LO / loss_Adam@T) ${mean(lr).toFixed(3)} ` +
        `(${((Date.now() - ts) / 1000).toFixed(0)} s)`,
    );
  }
  return {
    task: TASK,
    config: cfg,
    seeds: SEEDS,
    held: HELD,
    adamStepsRatioAtT: ci95(at1),
    adamStepsRatioAt4T: ci95(at4),
    logLossVsAdamAtT: ci95(logRatio),
    wallSeconds: (Date.now() - t0) / 1000,
  };
}

const fmt = ([m, c]: [number, number]) => `${m.toFixed(2)} ± ${c.toFixed(2)}`;
const runs: [string, Config][] = argv.includes('--ablation') ? VARIANTS : [['flags', FLAGS]];
for (const [name, cfg] of runs) {
  const out = { name, ...(await evaluate(cfg)) };
  if (argv.includes('--json')) console.log(JSON.stringify(out));
  else
    console.log(
      `${name}: ${TASK}: steps Adam needs / T = ${fmt(out.adamStepsRatioAtT)} (target ≥ 1.5), ` +
        `at 4T ${fmt(out.adamStepsRatioAt4T)}; log(loss / Adam envelope at T) ` +
        `${fmt(out.logLossVsAdamAtT)} over ${SEEDS} seeds`,
    );
}
