// The games results of issue 20.
//
//   npx tsx examples/games_results.ts [--seeds 5] [--json]
//
// 1. Bilinear min_x max_y xᵀAy, A a random 4 × 4 matrix with singular values in [0.5, 1.5] (one
//    per seed, as is the start point): steps until ‖(x, y)‖ ≤ 1e-6 ‖(x₀, y₀)‖ for each method at
//    η = 0.2 (complex momentum at β = 0.8e^{iπ/4}, the best |β|, arg β of a grid on f = xy at this
//    η; with real β = 0.9 it diverges). GDA diverges, so its row gives the growth factor instead.
// 2. The Follow-the-Ridge toy f₁ = −3x² − y² + 4xy from (5, 7), η = 0.05: (0, 0) is a local
//    minimax point but not a local Nash point. Distance to it after 2000 steps for GDA, EG and
//    two-timescale EG (τ = 4; the continuous-time Jacobian is stable iff τ > 3).

import type { GameMethod, SolveOptions } from '../src/games/index.js';
import { games, random } from '../src/index.js';
import { flag } from './flags.js';

const args = process.argv.slice(2);
const seeds = flag('seeds', 5);
const asJson = args.includes('--json');

// A = U diag(s) Vᵀ with Householder-reflection U, V and s ∈ [0.5, 1.5], from one seed.
function randomBilinear(seed: number): Float32Array {
  const k = random.split(random.key(seed), 3);
  const n = 4;
  const s = random.uniform(k[0]!, n);
  const reflect = (v: Float32Array): number[][] => {
    const vv = v.reduce((a, b) => a + b * b, 0);
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv),
    );
  };
  const U = reflect(random.normal(k[1]!, n));
  const V = reflect(random.normal(k[2]!, n));
  const A = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let a = 0;
      for (let r = 0; r < n; r++) a += U[i]![r]! * (0.5 + s[r]!) * V[j]![r]!;
      A[i * n + j] = a;
    }
  return A;
}

function meanCi(v: number[], digits = 0): string {
  const finite = v.filter(Number.isFinite);
  if (finite.length < v.length) return `${finite.length}/${v.length} reached`;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, finite.length - 1));
  return `${mean.toFixed(digits)} ± ${((1.96 * sd) / Math.sqrt(finite.length)).toFixed(digits)}`;
}

const methods: [GameMethod, Partial<SolveOptions>][] = [
  ['gda', {}],
  ['alternatingGda', {}],
  ['extragradient', {}],
  ['optimistic', {}],
  ['cgd', {}],
  ['complexMomentum', { momentum: 0.8, angle: Math.PI / 4 }],
];
const bilinearRows: Record<string, unknown>[] = [];
for (const [method, extra] of methods) {
  const steps: number[] = [];
  const growth: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const g = games.bilinear(randomBilinear(seed), { m: 4, n: 4 });
    const kk = random.split(random.key(100 + seed), 2);
    const r = games.solve(g, {
      method,
      lr: 0.2,
      steps: 5000,
      x0: random.normal(kk[0]!, 4),
      y0: random.normal(kk[1]!, 4),
      ...extra,
    });
    const d0 = r.history[0]!.distance!;
    const hit = r.history.find((h) => (h.distance ?? Number.POSITIVE_INFINITY) <= 1e-6 * d0);
    steps.push(hit ? hit.step : Number.POSITIVE_INFINITY);
    const at = r.history.find((h) => h.step === 100)?.distance ?? Number.NaN;
    growth.push(at / d0);
  }
  bilinearRows.push({ method, stepsTo1e6: meanCi(steps), distanceRatioAt100: meanCi(growth, 3) });
}

const f1 = games.quadratic({
  m: 1,
  n: 1,
  Axx: new Float32Array([-6]),
  Axy: new Float32Array([4]),
  Ayy: new Float32Array([-2]),
});
const ridgeRows: Record<string, unknown>[] = [];
for (const [label, method, extra] of [
  ['GDA', 'gda', {}],
  ['alternating GDA', 'alternatingGda', {}],
  ['EG (τ = 1)', 'extragradient', {}],
  ['two-timescale EG τ = 2', 'twoTimescaleEg', { timescale: 2 }],
  ['two-timescale EG τ = 4', 'twoTimescaleEg', { timescale: 4 }],
  ['CGD', 'cgd', {}],
] as [string, GameMethod, Partial<SolveOptions>][]) {
  const r = games.solve(f1, {
    method,
    lr: 0.05,
    steps: 2000,
    x0: new Float32Array([5]),
    y0: new Float32Array([7]),
    every: 500,
    ...extra,
  });
  const last = r.history.at(-1)!;
  ridgeRows.push({ method: label, stepsRun: last.step, distance: last.distance?.toExponential(2) ?? 'n/a' });
}

if (asJson) console.log(JSON.stringify({ bilinear: bilinearRows, ridge: ridgeRows }, null, 2));
else {
  console.log(`Bilinear 4×4, η = 0.2, ${seeds} seeds (mean ± 95% CI)`);
  console.log('| method | steps to 1e-6·d₀ | d₁₀₀/d₀ |\n|---|---|---|');
  for (const r of bilinearRows) console.log(`| ${r.method} | ${r.stepsTo1e6} | ${r.distanceRatioAt100} |`);
  console.log('\nf₁ = −3x² − y² + 4xy from (5, 7), η = 0.05, 2000 steps: distance to the local minimax (0, 0)');
  console.log('| method | steps run | distance |\n|---|---|---|');
  for (const r of ridgeRows) console.log(`| ${r.method} | ${r.stepsRun} | ${r.distance} |`);
}
