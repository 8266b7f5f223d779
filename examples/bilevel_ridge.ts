// Ridge (API.md's problem, λ = log per-feature L2 strengths): the hypergradient of every method
// against the closed form dF/dλ = −2e^λ ⊙ w* ⊙ H⁻¹∇_wF (float64), and time and memory vs T —
// including checkpointed reverse (state kept every ⌈√T⌉ steps, segments recomputed backwards).
// Data: d = 20 features with scales 1…3, n = 200 train and 200 validation rows, y = x·w + N(0, 1).
//
//   npx tsx examples/bilevel_ridge.ts [--json]
import { bilevel } from '../src/index.js';

const d = 20;
let seed = 12345;
const rnd = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
const wTrue = Array.from({ length: d }, (_, j) => (j < 5 ? 1 : 0.1) * gauss());
function rows(r: number) {
  const x = new Float32Array(r * d);
  const y = new Float32Array(r);
  for (let i = 0; i < r; i++) {
    let t = 0;
    for (let j = 0; j < d; j++) {
      const v = gauss() * (1 + (2 * j) / d);
      x[i * d + j] = v;
      t += v * (wTrue[j] as number);
    }
    y[i] = t + gauss();
  }
  return { x, y };
}
const tr = rows(200);
const va = rows(200);
const problem = bilevel.problems.ridge({ xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y });
const lambda = Float32Array.from({ length: d }, (_, j) => -2 + 0.2 * j);

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const a = A.map((r, i) => [...r, b[i] as number]);
  for (let c = 0; c < n; c++)
    for (let i = c + 1; i < n; i++) {
      const f = (a[i]?.[c] as number) / (a[c]?.[c] as number);
      for (let k = c; k <= n; k++) (a[i] as number[])[k] = (a[i]?.[k] as number) - f * (a[c]?.[k] as number);
    }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let t = a[i]?.[n] as number;
    for (let k = i + 1; k < n; k++) t -= (a[i]?.[k] as number) * (x[k] as number);
    x[i] = t / (a[i]?.[i] as number);
  }
  return x;
}
function closedForm(): number[] {
  const n = 200;
  const A = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += (tr.x[r * d + i] as number) * (tr.x[r * d + j] as number);
      return (2 * s) / n + (i === j ? 2 * Math.exp(lambda[i] as number) : 0);
    }),
  );
  const b = Array.from({ length: d }, (_, i) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (tr.x[r * d + i] as number) * (tr.y[r] as number);
    return (2 * s) / n;
  });
  const w = solve(A, b);
  const gF = new Array<number>(d).fill(0);
  for (let r = 0; r < 200; r++) {
    let res = -(va.y[r] as number);
    for (let j = 0; j < d; j++) res += (va.x[r * d + j] as number) * (w[j] as number);
    for (let j = 0; j < d; j++) gF[j] = (gF[j] as number) + (2 * res * (va.x[r * d + j] as number)) / 200;
  }
  const q = solve(A, gF);
  return w.map((wj, j) => -2 * Math.exp(lambda[j] as number) * wj * (q[j] as number));
}
const ref = closedForm();
const relErr = (g: Float32Array): number => {
  let num = 0;
  let den = 0;
  for (let j = 0; j < d; j++) {
    num += ((g[j] as number) - (ref[j] as number)) ** 2;
    den += (ref[j] as number) ** 2;
  }
  return Math.sqrt(num / den);
};

type Row = { method: string; T: number; relErr: number; msPerCall: number; storedFloats: number; hvps: number };
const out: Row[] = [];
const methods: [string, bilevel.HypergradientOptions | ((T: number) => bilevel.HypergradientOptions)][] = [
  ['reverse', { method: 'reverse' }],
  ['reverse, checkpoint ⌈√T⌉', (T) => ({ method: 'reverse', checkpoint: Math.ceil(Math.sqrt(T)) })],
  ['truncated K=10', { method: 'truncated', truncate: 10 }],
  ['forward', { method: 'forward' }],
  ['implicit (CG)', { method: 'implicit' }],
  ['neumann (100 terms)', { method: 'neumann', neumannTerms: 100 }],
  ['reverse, adam lr 0.05', { method: 'reverse', innerOptimizer: 'adam', innerLr: 0.05 }],
];
for (const T of [10, 100, 1000, 10000]) {
  for (const [name, opts] of methods) {
    const o = { ...(typeof opts === 'function' ? opts(T) : opts), steps: T };
    try {
      bilevel.hypergradient(problem, lambda, o); // warm-up
    } catch (e) {
      // Reverse through 10k Adam steps overflows float32 adjoints (∂w/∂v ≈ lr/eps² near convergence).
      console.error(`${name}, T ${T}: ${(e as Error).message}`);
      out.push({ method: name, T, relErr: Number.NaN, msPerCall: Number.NaN, storedFloats: 0, hvps: 0 });
      continue;
    }
    const reps = T >= 10000 ? 1 : T >= 1000 ? 3 : 10;
    const t0 = performance.now();
    let h = bilevel.hypergradient(problem, lambda, o);
    for (let i = 1; i < reps; i++) h = bilevel.hypergradient(problem, lambda, o);
    const ms = (performance.now() - t0) / reps;
    out.push({
      method: name,
      T,
      relErr: relErr(h.grad),
      msPerCall: ms,
      storedFloats: h.stats.storedFloats,
      hvps: h.stats.hvps,
    });
  }
}
if (process.argv.includes('--json')) console.log(JSON.stringify(out, null, 2));
else {
  console.log('| method | T | ‖g − g*‖/‖g*‖ | ms / call | stored floats | HVPs |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of out)
    console.log(
      `| ${r.method} | ${r.T} | ${r.relErr.toExponential(2)} | ${r.msPerCall.toFixed(2)} | ${r.storedFloats} | ${r.hvps} |`,
    );
}
