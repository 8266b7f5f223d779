// Hypergradient speed (issue 19): (1) evaluations per second of the reverse hypergradient (T = 100
// plain-SGD inner steps at 1/L) for ridge (d = 20, 200 train / 200 validation rows) and data
// hyper-cleaning (the README's set: 500 train rows, 20 features, 5 classes, 500 validation rows,
// λ = 500 per-example weights) — the fused kernel on the native backend and on its js twin, and the
// problem-object path (src/bilevel/reverse.ts) for reference; (2) the cost of forward vs reverse
// vs implicit (CG) on ridge as T grows (d = 20) and as dim λ = d grows (T = 100), problem-object
// path, written as two SVG line charts (log–log) beside this script.
//
//   npx tsx examples/bilevel_speed.ts [--seconds 1] [--no-plot]

import { writeFileSync } from 'node:fs';
import { backendByName, use } from '../src/backend/index.js';
import { lineChartSpec, renderSvg } from '../src/cli/plot.js';
import { bilevel } from '../src/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 1);

let seed = 12345;
const rnd = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return (seed + 0.5) / 2 ** 32;
};
const gauss = (): number => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());

function ridgeProblem(d: number) {
  const wTrue = Array.from({ length: d }, () => gauss());
  const rows = (r: number) => {
    const x = Float32Array.from({ length: r * d }, (_, i) => gauss() * (1 + (2 * (i % d)) / d));
    const y = Float32Array.from({ length: r }, (_, i) => {
      let t = gauss();
      for (let j = 0; j < d; j++) t += (x[i * d + j] as number) * (wTrue[j] as number);
      return t;
    });
    return { x, y };
  };
  const tr = rows(200);
  const va = rows(200);
  return bilevel.problems.ridge({ xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y });
}

function cleaningProblem() {
  const C = 5;
  const D = 20;
  const means = Array.from({ length: C }, () => Array.from({ length: D }, () => 0.5 * gauss()));
  const set = (r: number, corrupt: boolean) => {
    const x = new Float32Array(r * D);
    const y = new Int32Array(r);
    for (let i = 0; i < r; i++) {
      const c = Math.floor(rnd() * C);
      for (let j = 0; j < D; j++) x[i * D + j] = (means[c]?.[j] as number) + gauss();
      y[i] = corrupt && rnd() < 0.5 ? (c + 1 + Math.floor(rnd() * (C - 1))) % C : c;
    }
    return { x, y };
  };
  const tr = set(500, true);
  const va = set(500, false);
  return bilevel.problems.weightedLoss({ xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, classes: C });
}

/** Calls per second of `f`, run for about SECONDS (at least 3 calls) after a warm-up of a third of that (at least 2 calls: the JIT needs it). */
function rate(f: () => void): number {
  let t0 = performance.now();
  for (let w = 0; w < 2 || performance.now() - t0 < (SECONDS * 1000) / 3; w++) f();
  t0 = performance.now();
  let calls = 0;
  while (calls < 3 || performance.now() - t0 < SECONDS * 1000) {
    f();
    calls++;
  }
  return (calls * 1000) / (performance.now() - t0);
}

// ---- (1) evaluations per second ----
const problems = [
  ['ridge (d 20, T 100)', ridgeProblem(20)],
  ['hyper-cleaning (λ 500, T 100)', cleaningProblem()],
] as const;
const speed: Record<string, unknown>[] = [];
console.log('| problem | fused native /s | fused js /s | native ÷ js | problem-object path /s |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, p] of problems) {
  const lambda = new Float32Array(p.lambdaSize);
  const innerLr = 1 / (p.curvatureBound?.(lambda) as number);
  const o = { method: 'reverse' as const, steps: 100, innerLr };
  const r: Record<string, number> = {};
  for (const b of ['native', 'js'] as const) {
    if (!backendByName(b)) continue;
    use(b);
    r[b] = rate(() => bilevel.hypergradient(p, lambda, { ...o, fused: true }));
  }
  use('js');
  r.object = rate(() => bilevel.hypergradient(p, lambda, o));
  speed.push({ problem: name, ...r });
  console.log(
    `| ${name} | ${r.native?.toFixed(0) ?? '–'} | ${r.js?.toFixed(1)} | ${((r.native ?? Number.NaN) / (r.js as number)).toFixed(1)}× | ${r.object?.toFixed(1)} |`,
  );
}

// ---- (2) forward vs reverse vs implicit as T and dim λ grow ----
const methods = [
  ['forward', { method: 'forward' }],
  ['reverse', { method: 'reverse' }],
  ['implicit', { method: 'implicit', cgIters: 20 }],
] as const;
const ms = (p: bilevel.BilevelProblem, o: bilevel.HypergradientOptions): number =>
  1000 / rate(() => bilevel.hypergradient(p, new Float32Array(p.lambdaSize), o));
const byT: Record<string, number>[] = [];
const ridge20 = ridgeProblem(20);
for (const T of [10, 30, 100, 300, 1000]) {
  const row: Record<string, number> = { T };
  for (const [name, o] of methods) row[name] = ms(ridge20, { ...o, steps: T });
  byT.push(row);
}
const byDim: Record<string, number>[] = [];
for (const d of [5, 10, 20, 40, 80]) {
  const p = ridgeProblem(d);
  const row: Record<string, number> = { dim: d };
  for (const [name, o] of methods) row[name] = ms(p, { ...o, steps: 100 });
  byDim.push(row);
}
console.log('\nms per hypergradient (problem-object path, js), ridge:');
console.log(JSON.stringify({ byT, byDim, speed }));
if (!process.argv.includes('--no-plot')) {
  const logX = (spec: ReturnType<typeof lineChartSpec>) => {
    const enc = (spec as { encoding: { x: Record<string, unknown> } }).encoding;
    enc.x.scale = { type: 'log' };
    return spec;
  };
  const names = methods.map(([n]) => n);
  const dir = new URL('.', import.meta.url).pathname;
  writeFileSync(
    `${dir}bilevel_cost_vs_T.svg`,
    await renderSvg(
      logX(
        lineChartSpec(byT, {
          x: 'T',
          y: names,
          logY: true,
          title: 'Ridge (dim λ = 20): cost vs inner steps T',
          xTitle: 'inner steps T',
          yTitle: 'ms per hypergradient',
        }),
      ),
    ),
  );
  writeFileSync(
    `${dir}bilevel_cost_vs_dim.svg`,
    await renderSvg(
      logX(
        lineChartSpec(byDim, {
          x: 'dim',
          y: names,
          logY: true,
          title: 'Ridge (T = 100): cost vs dim λ',
          xTitle: 'dim λ (= features)',
          yTitle: 'ms per hypergradient',
        }),
      ),
    ),
  );
}
