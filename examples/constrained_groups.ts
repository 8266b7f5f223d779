// Per-group loss constraints on a small classification MLP (issue 20): primal-dual constrained
// learning (Chamon et al.) vs plain ERM on the same data, optimizer and budget.
//
//   npx tsx examples/constrained_groups.ts [--seeds 5] [--steps 3000] [--limit 0.3] [--hidden 4]
//
// Data: 2-D points in two groups. Group A (90%) has labels y = [x₁ > 0]; the minority group B
// (10%, shifted to x₂ ≈ 2) has labels y = [x₁ + x₂ − 2 > 0.5·x₁], a different boundary, so ERM
// trades B's loss for A's. Problem: min mean cross-entropy s.t. CE_A ≤ c and CE_B ≤ c.
// Net [2, hidden, 2] tanh (a small one, so ERM cannot fit both groups and the constraint binds), Adam 1e-2, full batch; dual step 0.5 (primalDual); test sets of 2000.

import type { ConstrainedProblem } from '../src/constrained/index.js';
import { constrained, nn, optim, random } from '../src/index.js';
import { flag } from './flags.js';

const seeds = flag('seeds', 5);
const steps = flag('steps', 3000);
const limit = flag('limit', 0.3);
const hidden = flag('hidden', 4);

interface Group {
  x: Float32Array;
  loss: nn.Loss;
  labels: Int32Array;
  count: number;
}

function group(seed: number, count: number, minority: boolean): Group {
  const z = random.normal(random.key(seed), 2 * count);
  const x = new Float32Array(2 * count);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const a = z[2 * i]!;
    const b = z[2 * i + 1]! * 0.7 + (minority ? 2 : 0);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    labels[i] = minority ? Number(a + b - 2 > 0.5 * a + 0.3) : Number(a > 0);
  }
  return { x, labels, count, loss: nn.loss.crossEntropy(labels, 2) };
}

const net = nn.mlp({ sizes: hidden > 0 ? [2, hidden, 2] : [2, 2], activation: 'tanh' });

function accuracy(p: Float32Array, g: Group): number {
  const y = net.forward(p, g.x, g.count);
  let ok = 0;
  for (let i = 0; i < g.count; i++) ok += Number((y[2 * i + 1]! > y[2 * i]! ? 1 : 0) === g.labels[i]);
  return ok / g.count;
}

function lossOf(p: Float32Array, g: Group): number {
  return g.loss.value(net.forward(p, g.x, g.count), g.count);
}

function problem(A: Group, B: Group): ConstrainedProblem {
  const gA = new Float32Array(net.size);
  const gB = new Float32Array(net.size);
  const wA = A.count / (A.count + B.count);
  return {
    size: net.size,
    limits: [limit, limit],
    evaluate(theta, grads) {
      const lA = net.gradInto(theta, A.x, A.count, A.loss, gA);
      const lB = net.gradInto(theta, B.x, B.count, B.loss, gB);
      const g0 = grads[0]!;
      for (let j = 0; j < net.size; j++) g0[j] = wA * gA[j]! + (1 - wA) * gB[j]!;
      grads[1]!.set(gA);
      grads[2]!.set(gB);
      return [wA * lA + (1 - wA) * lB, lA, lB];
    },
  };
}

const rows: Record<string, number[]> = {};
const push = (k: string, v: number) => {
  rows[k] ??= [];
  rows[k]!.push(v);
};
for (let seed = 0; seed < seeds; seed++) {
  const A = group(10 * seed + 1, 900, false);
  const B = group(10 * seed + 2, 100, true);
  const At = group(10 * seed + 3, 2000, false);
  const Bt = group(10 * seed + 4, 2000, true);
  const p = problem(A, B);
  const theta0 = net.init(seed);
  // ERM: the same loop with the multipliers pinned at 0 (a dual step so small it never moves them).
  const erm = constrained.primalDual(p, {
    optimizer: optim.adam({ lr: 1e-2 }),
    dualLr: Number.MIN_VALUE,
    steps,
    theta0,
  });
  const pd = constrained.primalDual(p, { optimizer: optim.adam({ lr: 1e-2 }), dualLr: 0.5, steps, theta0, every: 10 });
  for (const [name, r] of [
    ['erm', erm],
    ['pd', pd],
  ] as const) {
    const last = r.history.at(-1)!;
    push(`${name} train CE_A`, last.constraints[0]!);
    push(`${name} train CE_B`, last.constraints[1]!);
    push(`${name} test CE_A`, lossOf(r.theta, At));
    push(`${name} test CE_B`, lossOf(r.theta, Bt));
    push(`${name} test acc_B`, accuracy(r.theta, Bt));
    push(`${name} test acc_A`, accuracy(r.theta, At));
    push(`${name} train violation`, last.violation);
    push(`${name} objective`, last.objective);
    if (name === 'pd') {
      push('pd λ_A', last.lambda[0]!);
      push('pd λ_B', last.lambda[1]!);
      push('pd gap', last.gap);
      // feasible fraction of the last 20% of recorded iterates (the last iterate need not be feasible)
      const tail = r.history.slice(Math.floor(0.8 * r.history.length));
      push('pd feasible frac (last 20%)', tail.filter((h) => h.violation <= 0).length / tail.length);
    }
  }
}
const fmt = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
  return `${m.toFixed(4)} ± ${((1.96 * sd) / Math.sqrt(v.length)).toFixed(4)}`;
};
console.log(`limit c = ${limit}, ${steps} steps, ${seeds} seeds (mean ± 95% CI)`);
console.log('| quantity | value |\n|---|---|');
for (const [k, v] of Object.entries(rows)) console.log(`| ${k} | ${fmt(v)} |`);
