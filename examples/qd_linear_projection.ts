// CMA-ME (improvement emitters, 2imp ranking) vs Gaussian MAP-Elites on the linear-projection
// benchmark (Fontaine et al. 2020; pyribs' tutorial form): x ∈ R^20, objective −Σ(x_i − 2.048)²
// (maximized), descriptors = the sums of the clipped halves of x (clip(v) = v if |v| ≤ 5.12, else
// 5.12/v), a 50 × 50 grid over [−51.2, 51.2]², 5 emitters × 36 members, 5 seeds, equal evaluations.
// Prints coverage and QD score (objective offset −1000, so every elite counts positively)
// as mean ± 95% CI (t, 4 dof).   nice -n 10 npx tsx examples/qd_linear_projection.ts
import { evo } from '../src/index.js';

const D = 20;
const GENERATIONS = 300;
const clip = (v: number) => (Math.abs(v) <= 5.12 ? v : 5.12 / v);
const descriptor = (x: Float32Array) => {
  let a = 0;
  let b = 0;
  for (let i = 0; i < D; i++) {
    if (i < D / 2) a += clip(x[i] as number);
    else b += clip(x[i] as number);
  }
  return [a, b];
};
const objective = (x: Float32Array) => -x.reduce((s, v) => s + (v - 2.048) ** 2, 0);
const ci = (xs: number[], digits: number) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${m.toFixed(digits)} ± ${((2.776 * sd) / Math.sqrt(xs.length)).toFixed(digits)}`;
};

console.log(`| emitters | evaluations | coverage | QD score (offset −1000) ×10³ | restarts |`);
console.log('|---|---|---|---|---|');
for (const [label, emitter, sigma] of [
  ['CMA-ME (improvement)', 'cmaMe', 0.5],
  ['Gaussian MAP-Elites σ 0.5', 'gaussian', 0.5],
] as const) {
  const cov: number[] = [];
  const qd: number[] = [];
  const restarts: number[] = [];
  let evals = 0;
  for (const seed of [1, 2, 3, 4, 5]) {
    const s = evo.mapElites({
      dims: [50, 50],
      lower: [-51.2, -51.2],
      upper: [51.2, 51.2],
      descriptor,
      minimize: false,
      emitter,
      emitters: 5,
      batchSize: 36,
      sigma,
    });
    const r = await evo.optimize(objective, { strategy: s, x0: new Float32Array(D), generations: GENERATIONS, seed });
    const st = r.state as evo.MapElitesState;
    cov.push(st.archive.coverage());
    qd.push(st.archive.qdScore(-1000) / 1000);
    restarts.push(st.restarts.reduce((a, b) => a + b, 0));
    evals = r.evaluations;
  }
  console.log(`| ${label} | ${evals} | ${ci(cov, 3)} | ${ci(qd, 1)} | ${ci(restarts, 1)} |`);
}
