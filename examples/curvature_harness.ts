// Shared pieces of the curvature examples: the two fixed synthetic tasks (a teacher-labelled
// 4-class classification and a teacher regression, both full batch) and one training loop that
// hands each optimizer the loss's curvature oracle and stops at a target loss.
import { nn, optim, random } from '../src/index.js';
import type { Loss, Mlp } from '../src/nn/index.js';
import type { Optimizer, ParamLayout } from '../src/optim/index.js';

export interface Task {
  name: string;
  net: Mlp;
  x: Float32Array;
  batch: number;
  loss: Loss;
  target: number;
  classes?: number;
  /** Class labels (classification), for minibatch losses. */
  labels?: Int32Array;
}

const N = 512;

/** Four interleaved 2-D spirals (128 points each, small Gaussian jitter): a slow task for an MLP. */
export function classification(): Task {
  const classes = 4;
  const jitter = random.normal(random.key(12345), N * 2);
  const x = new Float32Array(N * 2);
  const labels = new Int32Array(N);
  const per = N / classes;
  for (let i = 0; i < N; i++) {
    const c = Math.floor(i / per);
    const r = ((i % per) + 1) / per;
    const angle = (2 * Math.PI * c) / classes + 3 * Math.PI * r;
    x[2 * i] = 2 * r * Math.cos(angle) + 0.04 * (jitter[2 * i] as number);
    x[2 * i + 1] = 2 * r * Math.sin(angle) + 0.04 * (jitter[2 * i + 1] as number);
    labels[i] = c;
  }
  const net = nn.mlp({ sizes: [2, 32, 32, classes], activation: 'tanh' });
  return {
    name: 'classification',
    net,
    x,
    batch: N,
    loss: nn.loss.crossEntropy(labels, classes),
    target: 0.05,
    classes,
    labels,
  };
}

/** y = sin(2x₀)·cos(1.5x₁) + ½x₂x₃ on Gaussian inputs, scaled to unit variance. */
export function regression(): Task {
  const inW = 4;
  const x = random.normal(random.key(54321), N * inW);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const [a, b, c, d] = [0, 1, 2, 3].map((k) => x[i * inW + k] as number) as [number, number, number, number];
    y[i] = Math.sin(2 * a) * Math.cos(1.5 * b) + 0.5 * c * d;
  }
  let m = 0;
  for (const v of y) m += v / N;
  let s = 0;
  for (const v of y) s += (v - m) ** 2 / N;
  const target = Float32Array.from(y, (v) => (v - m) / Math.sqrt(s));
  const net = nn.mlp({ sizes: [inW, 32, 32, 1], activation: 'tanh' });
  // Unit-variance targets: a loss of 0.01 is R² = 0.99.
  return { name: 'regression', net, x, batch: N, loss: nn.loss.mse(target), target: 0.01 };
}

export interface Method {
  name: string;
  /** Candidate settings (tuned on a separate seed). */
  grid: { label: string; make: (layout: ParamLayout) => Optimizer }[];
  maxSteps: number;
}

export function methods(): Method[] {
  return [
    {
      name: 'sgd-momentum',
      maxSteps: 3000,
      grid: [0.1, 0.3, 1, 3].map((lr) => ({ label: `lr ${lr}`, make: () => optim.momentum({ lr }) })),
    },
    {
      name: 'adam',
      maxSteps: 3000,
      grid: [3e-3, 1e-2, 3e-2, 0.1].map((lr) => ({ label: `lr ${lr}`, make: () => optim.adam({ lr }) })),
    },
    {
      // The paper's Shampoo (roots every step, sum statistics, no grafting) with heavy-ball 0.9.
      name: 'shampoo',
      maxSteps: 3000,
      grid: [0.03, 0.1, 0.3].map((lr) => ({
        label: `lr ${lr}`,
        make: (layout: ParamLayout) => optim.shampoo({ lr, layout, eps: 1e-6, momentum: 0.9 }),
      })),
    },
    {
      // The reference's fosi_adam settings (k 5 → 10 here, α 0.1, clip 1, T = W = 50).
      name: 'fosi(adam)',
      maxSteps: 3000,
      grid: [3e-3, 1e-2, 3e-2, 0.1].map((lr) => ({
        label: `lr ${lr}`,
        make: () => optim.fosi({ base: optim.adam({ lr }), k: 10, lanczosIters: 40, every: 50, learningRateClip: 1 }),
      })),
    },
    {
      name: 'natural gradient',
      maxSteps: 400,
      grid: [0.1, 0.3, 1].map((lr) => ({
        label: `lr ${lr}`,
        make: () => optim.naturalGradient({ lr, damping: 1e-3, cgIters: 10 }),
      })),
    },
    {
      name: 'saddle-free newton',
      maxSteps: 400,
      grid: [1e-2, 1e-1, 1].map((damping) => ({
        label: `damping ${damping}`,
        make: () => optim.saddleFreeNewton({ lr: 1, rank: 20, damping }),
      })),
    },
  ];
}

export interface RunResult {
  /** Steps to reach the target (undefined: not reached within maxSteps). */
  steps?: number;
  /** Wall milliseconds of the steps taken until then (gradient + update). */
  ms: number;
  finalLoss: number;
  /** Loss after each step (for plots). */
  curve: number[];
}

/** Full-batch training from net.init(seed) until the loss reaches task.target or maxSteps. */
export function train(task: Task, make: (layout: ParamLayout) => Optimizer, seed: number, maxSteps: number): RunResult {
  const { net, x, batch, loss } = task;
  const params = net.init(seed);
  const opt = make(net.layout);
  const state = opt.init(params);
  const grad = new Float32Array(net.size);
  const curvature = nn.curvature.oracle(net, params, x, batch, loss);
  const curve: number[] = [];
  const t0 = performance.now();
  let value = net.gradInto(params, x, batch, loss, grad);
  for (let step = 0; step < maxSteps; step++) {
    if (!(value > task.target)) return { steps: step, ms: performance.now() - t0, finalLoss: value, curve };
    if (!Number.isFinite(value)) break;
    opt.step(params, grad, state, { loss: value, curvature });
    value = net.gradInto(params, x, batch, loss, grad);
    curve.push(value);
  }
  const reached = value <= task.target;
  return { steps: reached ? maxSteps : undefined, ms: performance.now() - t0, finalLoss: value, curve };
}

/** Mean and 95% normal-approximation half-width. */
export function meanCi(xs: number[]): [number, number] {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [m, 0];
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  return [m, (1.96 * Math.sqrt(v)) / Math.sqrt(n)];
}
