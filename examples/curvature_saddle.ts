// Saddle escape (Dauphin et al. 2014): a two-layer linear network y = W₂W₁x (+ biases) fitted to
// y = Ax by mean squared error has a strict saddle at the origin (the Hessian there has ± the
// singular values of the input-output correlation). Started at 1e-4 × a standard init, compare
// gradient descent, damped Newton and saddle-free Newton (both exact: Krylov rank = #params, the
// same damping), over 5 seeds: steps until the loss falls below half its value at the saddle, the
// loss curve and the smallest Hessian eigenvalue along the way (Lanczos with rank = #params).
// Writes runs/curvature/saddle.json and saddle_loss.svg / saddle_min_eig.svg (seed 0).
//
//   nice -n 10 npx tsx examples/curvature_saddle.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeLineChart } from '../src/cli/plot.js';
import { nn, optim, random } from '../src/index.js';
import type { Optimizer } from '../src/optim/index.js';
import { symmetricEigen } from '../src/util/eigen.js';
import { meanCi } from './curvature_harness.js';

const [D, N, STEPS, SEEDS] = [4, 64, 300, 5];
const x = random.normal(random.key(2024), N * D);
const singular = [3, 2, 1, 0.5];
// A = diag(singular) in a rotated basis is enough: the correlation's singular values are these.
const y = new Float32Array(N * D);
for (let n = 0; n < N; n++)
  for (let o = 0; o < D; o++) {
    const j = (o + 1) % D;
    y[n * D + o] = (singular[o] as number) * (x[n * D + j] as number);
  }
const net = nn.mlp({ sizes: [D, D, D], activation: 'identity' });
const loss = nn.loss.mse(y);
const saddleLoss = loss.value(new Float32Array(N * D), N);

function minEig(params: Float32Array): number {
  const o = nn.curvature.oracle(net, params, x, N, loss);
  const start = Float32Array.from({ length: net.size }, (_, i) => Math.sin(i + 1));
  const K = nn.curvature.krylov(o.hvp, start, net.size);
  const m = K.basis.length;
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    T[i * m + i] = K.alpha[i] as number;
    if (i + 1 < m) T[i * m + i + 1] = T[(i + 1) * m + i] = K.beta[i] as number;
  }
  const vals = new Float64Array(m);
  symmetricEigen(T, m, vals, new Float64Array(m * m));
  return Math.min(...vals);
}

const methods: [string, () => Optimizer][] = [
  ['gradient descent', () => optim.sgd({ lr: 0.1 })],
  ['damped newton', () => optim.saddleFreeNewton({ rank: net.size, damping: 0.1, absolute: false })],
  ['saddle-free newton', () => optim.saddleFreeNewton({ rank: net.size, damping: 0.1 })],
];

const out = 'runs/curvature';
mkdirSync(out, { recursive: true });
const results: Record<string, { escape: (number | null)[]; final: number[] }> = {};
const curves: Record<string, { loss: number[]; minEig: number[] }> = {};
for (const [name, make] of methods) {
  results[name] = { escape: [], final: [] };
  for (let seed = 0; seed < SEEDS; seed++) {
    const params = net.init(seed).map((v) => v * 1e-4);
    const opt = make();
    const st = opt.init(params);
    const grad = new Float32Array(net.size);
    const curvature = nn.curvature.oracle(net, params, x, N, loss);
    const lossCurve: number[] = [];
    const eigCurve: number[] = [];
    let escapedAt: number | null = null;
    for (let t = 0; t < STEPS; t++) {
      const v = net.gradInto(params, x, N, loss, grad);
      lossCurve.push(v);
      if (seed === 0 && (t < 40 || t % 10 === 0)) eigCurve.push(minEig(params));
      if (escapedAt === null && v < 0.5 * saddleLoss) escapedAt = t;
      opt.step(params, grad, st, { curvature });
    }
    results[name].escape.push(escapedAt);
    results[name].final.push(lossCurve[lossCurve.length - 1] as number);
    if (seed === 0) curves[name] = { loss: lossCurve, minEig: eigCurve };
  }
}

const lines = [
  `saddle loss ${saddleLoss.toFixed(3)}; ${net.size} params; ${STEPS} steps; ${SEEDS} seeds`,
  '| method | escaped | steps to loss < ½·saddle | final loss |',
  '|---|---|---|---|',
];
for (const [name] of methods) {
  const r = results[name] as { escape: (number | null)[]; final: number[] };
  const ok = r.escape.filter((e): e is number => e !== null);
  const [m, ci] = meanCi(ok);
  const [f, fci] = meanCi(r.final);
  lines.push(
    `| ${name} | ${ok.length}/${SEEDS} | ${ok.length ? `${m.toFixed(1)} ± ${ci.toFixed(1)}` : `never (${STEPS})`} | ${f.toExponential(2)} ± ${fci.toExponential(1)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(`${out}/saddle.json`, JSON.stringify({ results, curves }, null, 1));
const rows = Array.from({ length: STEPS }, (_, t) => {
  const row: Record<string, number> = { step: t };
  for (const [name] of methods) row[name] = curves[name]?.loss[t] as number;
  return row;
});
await writeLineChart(`${out}/saddle_loss.svg`, rows, {
  x: 'step',
  y: methods.map(([n]) => n),
  logY: true,
  title: 'two-layer linear net from 1e-4 × init (seed 0)',
  yTitle: 'loss',
});
const eigSteps = Array.from({ length: STEPS }, (_, t) => t).filter((t) => t < 40 || t % 10 === 0);
await writeLineChart(
  `${out}/saddle_min_eig.svg`,
  eigSteps.map((t, i) => {
    const row: Record<string, number> = { step: t };
    for (const [name] of methods) row[name] = curves[name]?.minEig[i] as number;
    return row;
  }),
  { x: 'step', y: methods.map(([n]) => n), title: 'smallest Hessian eigenvalue (seed 0)', yTitle: 'λ_min' },
);
