// A small learned optimizer (learned.mlpOptimizer, small_fc_lopt inputs, hidden [32, 32],
// stepMult 0.01 as μLO's README runs) meta-trained with PES on learned.tasks.quadratic
// (dim 8, λ log-uniform in [0.01, 10], gradient noise 0.1), horizon T = 50, truncation K = 10,
// population 16, σ = 0.01, outer Adam lr 3e-3. Evaluated on 20 held-out quadratics per seed with
// VeLO's metric: the number of steps Adam (best of a 7-point lr grid 1e-3…1, lower envelope of
// running minima per task, learned_optimization's normalizer) needs to reach the learned optimizer's
// loss at T, divided by T (≥ 1 means the learned optimizer is faster; capped at 10). Mean ± 95% CI over seeds.
//
//   npx tsx examples/learned_quadratic.ts [--seeds 3] [--iterations 300] [--json]
import { learned, optim, random } from '../src/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('seeds', 3);
const ITERATIONS = arg('iterations', 300);
const T = 50;
const CAP = 10;
const LRS = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];
const family = learned.tasks.quadratic({ dim: 8, minEig: 1e-2, maxEig: 10, noise: 0.1 });

function run(opt: optim.Optimizer, task: learned.Task, steps: number): number[] {
  const p = task.init();
  const s = opt.init(p);
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    const { value, grad } = task.lossAndGrad(p);
    losses.push(value);
    opt.step(p, grad, s, { loss: value });
  }
  losses.push(task.lossAndGrad(p).value);
  return losses;
}

function ci95(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [m, Number.NaN];
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  const tq = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26][xs.length - 2] ?? 1.96;
  return [m, (tq * sd) / Math.sqrt(xs.length)];
}

const lo = learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.01 });
const ratios: number[] = [];
const logLo: number[] = [];
const logAdam: number[] = [];
const logInit: number[] = [];
for (let seed = 0; seed < SEEDS; seed++) {
  const t0 = Date.now();
  const { theta, history } = await learned.train({
    optimizer: lo,
    tasks: family,
    estimator: 'pes',
    iterations: ITERATIONS,
    horizon: T,
    truncation: 10,
    population: 16,
    outerOptimizer: optim.adam({ lr: 3e-3 }),
    seed,
  });
  const held = family.sample(random.key(10_000 + seed), 20);
  const r: number[] = [];
  let sLo = 0;
  let sAdam = 0;
  let sInit = 0;
  for (const [i, task0] of held.entries()) {
    const task = task0.fork(random.key(i));
    const loLoss = run(lo.optimizer(theta), task, T)[T] as number;
    const untrained = run(lo.optimizer(lo.init(seed)), task0.fork(random.key(i)), T)[T] as number;
    const curves = LRS.map((lr) => run(optim.adam({ lr }), task0.fork(random.key(i)), CAP * T));
    const env: number[] = [];
    let best = Number.POSITIVE_INFINITY;
    for (let t = 0; t <= CAP * T; t++) {
      for (const c of curves) best = Math.min(best, c[t] as number);
      env.push(best);
    }
    const k = env.findIndex((v) => v <= loLoss);
    r.push(k < 0 ? CAP : k / T);
    sLo += Math.log(loLoss) / held.length;
    sAdam += Math.log(env[T] as number) / held.length;
    sInit += Math.log(untrained) / held.length;
  }
  const ratio = r.reduce((a, b) => a + b, 0) / r.length;
  ratios.push(ratio);
  logLo.push(sLo);
  logAdam.push(sAdam);
  logInit.push(sInit);
  const h0 = history.slice(0, 10).reduce((a, e) => a + e.metaLoss, 0) / 10;
  const h1 = history.slice(-10).reduce((a, e) => a + e.metaLoss, 0) / 10;
  console.error(
    `seed ${seed}: meta-loss ${h0.toFixed(3)} → ${h1.toFixed(3)}; Adam-steps ratio ${ratio.toFixed(2)}; ` +
      `mean log loss at T: learned ${sLo.toFixed(3)}, untrained ${sInit.toFixed(3)}, best-lr Adam envelope ${sAdam.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
const fmt = ([m, c]: [number, number]) => `${m.toFixed(3)} ± ${c.toFixed(3)}`;
const out = {
  seeds: SEEDS,
  iterations: ITERATIONS,
  adamStepsRatio: ci95(ratios),
  logLossLearned: ci95(logLo),
  logLossUntrained: ci95(logInit),
  logLossAdamEnvelopeAtT: ci95(logAdam),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(out));
else {
  console.log(`steps Adam (7-lr envelope) needs / T = ${T}: ${fmt(out.adamStepsRatio)} (target ≥ 1.5; cap ${CAP})`);
  console.log(
    `mean log loss at T: learned ${fmt(out.logLossLearned)}, untrained θ₀ ${fmt(out.logLossUntrained)}, Adam envelope ${fmt(out.logLossAdamEnvelopeAtT)}`,
  );
}
