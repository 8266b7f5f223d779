// μLO vs plain per-tensor learned optimizer: meta-train on narrow MLPs, evaluate 8× wider
// (μLO, Thérien et al. 2024). Both are learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.01,
// layout }) — features normalized per tensor — and differ only in `mup` (hidden-matrix updates
// × 1/fan_in). Meta-training: PES, learned.tasks.mlpRegression (μP student, 2 hidden layers of
// width 16, 8 inputs, 128 points), horizon T = 50, truncation K = 10, population 8, σ = 0.01,
// outer Adam 3e-3. Evaluation: 10 held-out tasks at width 16 and 128, mean log loss after T and
// 4T steps (lower is better), and Adam with its best of a 7-point lr grid per width at T. Mean
// ± 95% CI over seeds.
//
//   npx tsx examples/learned_mup_width.ts [--seeds 2] [--iterations 300] [--json]
import { learned, optim, random } from '../src/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SEEDS = arg('seeds', 2);
const ITERATIONS = arg('iterations', 300);
const T = 50;
const BASE = 16;
const WIDE = 8 * BASE;
const LRS = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];
const fam = (width: number) => learned.tasks.mlpRegression({ width, depth: 2, inputs: 8, points: 128 });
const narrow = fam(BASE);
const wide = fam(WIDE);

function finalLoss(opt: optim.Optimizer, task: learned.Task, steps: number): number {
  const p = task.init();
  const s = opt.init(p);
  for (let t = 0; t < steps; t++) opt.step(p, task.lossAndGrad(p).grad, s);
  const v = task.lossAndGrad(p).value;
  return Number.isFinite(v) ? v : 1e6;
}

function ci95(xs: number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [m, Number.NaN];
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  const tq = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26][xs.length - 2] ?? 1.96;
  return [m, (tq * sd) / Math.sqrt(xs.length)];
}
const meanLog = (xs: number[]) => xs.reduce((a, b) => a + Math.log10(b), 0) / xs.length;

const results: Record<string, number[]> = {};
const push = (k: string, v: number) => {
  results[k] ??= [];
  results[k].push(v);
};
for (let seed = 0; seed < SEEDS; seed++) {
  const heldNarrow = narrow.sample(random.key(10_000 + seed), 10);
  const heldWide = wide.sample(random.key(20_000 + seed), 10);
  for (const mup of [false, true]) {
    const t0 = Date.now();
    const name = mup ? 'muLO' : 'plain';
    const lo = learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.01, layout: narrow.layout, mup });
    const { theta, history } = await learned.train({
      optimizer: lo,
      tasks: narrow,
      estimator: 'pes',
      iterations: ITERATIONS,
      horizon: T,
      truncation: 10,
      population: 8,
      outerOptimizer: optim.adam({ lr: 3e-3 }),
      seed,
    });
    const loWide = learned.mlpOptimizer({ hidden: [32, 32], stepMult: 0.01, layout: wide.layout, mup });
    for (const [tag, held, l] of [
      ['w16', heldNarrow, lo],
      ['w128', heldWide, loWide],
    ] as const) {
      push(`${name} ${tag} T`, meanLog(held.map((t) => finalLoss(l.optimizer(theta), t, T))));
      push(`${name} ${tag} 4T`, meanLog(held.map((t) => finalLoss(l.optimizer(theta), t, 4 * T))));
    }
    const h0 = history.slice(0, 10).reduce((a, e) => a + e.metaLoss, 0) / 10;
    const h1 = history.slice(-10).reduce((a, e) => a + e.metaLoss, 0) / 10;
    console.error(
      `seed ${seed} ${name}: meta-loss ${h0.toFixed(4)} → ${h1.toFixed(4)} (${((Date.now() - t0) / 1e3).toFixed(1)} s)`,
    );
  }
  for (const [tag, held] of [
    ['w16', heldNarrow],
    ['w128', heldWide],
  ] as const) {
    const best = Math.min(...LRS.map((lr) => meanLog(held.map((t) => finalLoss(optim.adam({ lr }), t, T)))));
    push(`adam(best lr) ${tag} T`, best);
  }
  const init = (held: learned.Task[]) => meanLog(held.map((t) => t.lossAndGrad(t.init()).value));
  push('initial w16', init(heldNarrow));
  push('initial w128', init(heldWide));
}
const out = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, ci95(v)]));
if (process.argv.includes('--json')) console.log(JSON.stringify({ seeds: SEEDS, iterations: ITERATIONS, out }));
else
  for (const [k, [m, c]] of Object.entries(out))
    console.log(`${k.padEnd(24)} mean log10 loss ${m.toFixed(3)} ± ${c.toFixed(3)}`);
