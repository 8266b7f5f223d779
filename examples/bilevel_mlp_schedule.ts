// Two bilevel problems of issue 19 on a small noisy regression (y = sin(3x₁) + x₂² + U(−1, 1) noise, 40
// training rows, 200 validation rows, a 2-32-32-1 tanh MLP):
//  1. per-layer L2 strengths (bilevel.problems.mlpRegularization) tuned by hypergradient descent
//     (reverse mode through T = 400 SGD steps (--inner), Adam 0.1 on λ), against no regularization;
//  2. a 50-step learning-rate schedule (bilevel.problems.lrSchedule, λ = per-step log rates)
//     tuned by hypergradient descent from a constant rate.
//
//   npx tsx examples/bilevel_mlp_schedule.ts [--seed 0] [--outer 40] [--inner 400]
import { bilevel, nn, optim } from '../src/index.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seed = opt('seed', 0);
const outer = opt('outer', 40);
let s = (seed + 1) * 2654435761;
const u = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 2 ** 32;
};
const make = (rows: number, noise: number) => {
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = 2 * u() - 1;
    const b = 2 * u() - 1;
    x[2 * r] = a;
    x[2 * r + 1] = b;
    y[r] = Math.sin(3 * a) + b * b + noise * (2 * u() - 1);
  }
  return { x, y };
};
const tr = make(20, 1);
const va = make(200, 0);
const model = nn.mlp({ sizes: [2, 32, 32, 1], activation: 'tanh' });
const p = bilevel.problems.mlpRegularization({ xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, model, seed });
const T = opt('inner', 400);
const hg = { method: 'reverse' as const, steps: T, innerLr: 0.2 };

// 1. Per-layer L2.
const none = Float32Array.from({ length: p.lambdaSize }, () => -20); // e^−20 ≈ no penalty
const before = bilevel.hypergradient(p, none, hg).value;
const r = await bilevel.solve(p, {
  method: 'hypergradient',
  iterations: outer,
  lambda0: Float32Array.from({ length: p.lambdaSize }, () => -6),
  outerOptimizer: optim.adam({ lr: 0.1 }),
  hypergradient: hg,
  warmStart: false,
});
console.log(
  JSON.stringify({
    problem: 'mlpRegularization',
    innerSteps: T,
    valMseNoPenalty: Number(before.toFixed(4)),
    valMseTuned: Number(r.value.toFixed(4)),
    strengths: Array.from(r.lambda, (l) => Number(Math.exp(l).toExponential(2))),
  }),
);

// 2. Learning-rate schedule on the unregularized problem.
const sched = bilevel.problems.lrSchedule({ problem: p, lambda: none });
const steps = 50;
const eta = new Float32Array(steps).fill(Math.log(0.2));
const first = sched.value(eta);
const adam = optim.adam({ lr: 0.02 });
const st = adam.init(eta);
const trace: number[] = [];
for (let i = 0; i < outer; i++) {
  const h = sched.hypergradient(eta);
  trace.push(Number(h.value.toFixed(4)));
  adam.step(eta, h.grad, st);
}
const pick = [0, 9, 19, 29, 39, 49].map((t) => Number(Math.exp(eta[t] as number).toFixed(3)));
console.log(
  JSON.stringify({
    problem: 'lrSchedule',
    steps,
    valMseConstant0_2: Number(first.toFixed(4)),
    valMseTuned: Number(sched.value(eta).toFixed(4)),
    ratesAtSteps_1_10_20_30_40_50: pick,
    valMseEvery10: trace.filter((_, i) => i % 10 === 0),
  }),
);
