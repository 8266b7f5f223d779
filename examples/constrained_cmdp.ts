// Tabular CMDP (issue 20): the last iterate of Lagrangian GDA vs ReLOAD (optimistic
// ascent-descent) against the exact LP optimum, on random CMDPs (constrained.randomCmdp: S = 5,
// A = 3, γ = 0.9, limit halfway between the least cost and the unconstrained optimum's cost).
//
//   npx tsx examples/constrained_cmdp.ts [--seeds 5] [--iterations 3000] [--policy-lr 2] [--dual-lr 2]
//
// Reports ‖d_k − d*‖₁ (occupancy distance to the LP optimum) at a few iterations, and over the
// last 20% of iterations the standard deviation of V_c and the worst constraint violation.
import { constrained } from '../src/index.js';
import { flag } from './flags.js';

const seeds = flag('seeds', 5);
const iterations = flag('iterations', 3000);
const policyLr = flag('policy-lr', 2);
const dualLr = flag('dual-lr', 2);
const marks = [10, 100, 300, 1000, iterations].filter((k, i, a) => k <= iterations && a.indexOf(k) === i);

const table: Record<string, number[][]> = { gda: [], reload: [] };
const tails: Record<string, { sd: number[]; viol: number[] }> = {
  gda: { sd: [], viol: [] },
  reload: { sd: [], viol: [] },
};
for (let seed = 0; seed < seeds; seed++) {
  const c = constrained.randomCmdp(seed, 5, 3);
  const lp = constrained.solveCmdpLp(c);
  if (!lp) throw new Error('infeasible instance');
  for (const method of ['gda', 'reload'] as const) {
    const r = constrained.lagrangianPolicy(c, { method, policyLr, dualLr, iterations });
    const dist = (d: Float64Array) => d.reduce((s, di, i) => s + Math.abs(di - (lp.occupancy[i] as number)), 0);
    table[method]!.push(marks.map((k) => dist(r.history[k]!.occupancy)));
    const tail = r.history.slice(Math.floor(0.8 * r.history.length));
    const vc = tail.map((e) => e.vc);
    const m = vc.reduce((a, b) => a + b, 0) / vc.length;
    tails[method]!.sd.push(Math.sqrt(vc.reduce((a, b) => a + (b - m) ** 2, 0) / vc.length));
    tails[method]!.viol.push(Math.max(0, ...vc.map((v) => v - c.limit)));
  }
}
const fmt = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
  return `${m.toExponential(2)} ± ${((1.96 * sd) / Math.sqrt(v.length)).toExponential(1)}`;
};
console.log(`Random CMDPs S = 5, A = 3, ${seeds} seeds, η_π = ${policyLr}, η_μ = ${dualLr} (mean ± 95% CI)`);
console.log(
  `| method | ${marks.map((k) => `‖d−d*‖₁ @${k}`).join(' | ')} | sd(V_c) last 20% | max violation last 20% |`,
);
console.log(`|---|${marks.map(() => '---|').join('')}---|---|`);
for (const method of ['gda', 'reload'] as const) {
  const cols = marks.map((_, j) => fmt(table[method]!.map((row) => row[j]!)));
  console.log(`| ${method} | ${cols.join(' | ')} | ${fmt(tails[method]!.sd)} | ${fmt(tails[method]!.viol)} |`);
}
