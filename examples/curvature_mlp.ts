// Steps and wall time to a target loss on two fixed full-batch MLP tasks (4-class 2-D spirals,
// CE ≤ 0.05; regression of sin(2x₀)cos(1.5x₁) + ½x₂x₃, MSE ≤ 0.01 on unit-variance targets) for
// SGD-momentum, Adam, Shampoo, FOSI(Adam), natural gradient (GGN + CG) and saddle-free Newton
// (Krylov rank 20). Each method's setting is picked from a small grid on a tuning seed (100), then
// reported on seeds 0–4 (mean ± 95% CI over the seeds that reached the target). Second-order
// methods are capped at 400 steps (each step costs 10–20 curvature products), first-order at 3000.
// Writes runs/curvature/mlp.json and one loss-curve SVG per task (seed 0).
//
//   nice -n 10 npx tsx examples/curvature_mlp.ts [--seeds 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeLineChart } from '../src/cli/plot.js';
import { classification, meanCi, methods, type RunResult, regression, train } from './curvature_harness.js';

const args = process.argv.slice(2);
const seedsAt = args.indexOf('--seeds');
const SEEDS = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 5;
const TUNE_SEED = 100;
const out = 'runs/curvature';
mkdirSync(out, { recursive: true });

const results: Record<string, unknown> = {};
for (const task of [classification(), regression()]) {
  const lines: string[] = [
    `\n### ${task.name} (${task.net.size} params, target ${task.target})\n`,
    '| method | setting | reached | steps to target | wall ms to target | ms/step |',
    '|---|---|---|---|---|---|',
  ];
  const curves: Record<string, number[]> = {};
  const summary: Record<string, { steps: number; ci: number; ms: number }> = {};
  for (const m of methods()) {
    let best: { label: string; make: (typeof m.grid)[number]['make']; r: RunResult } | undefined;
    for (const g of m.grid) {
      const r = train(task, g.make, TUNE_SEED, m.maxSteps);
      const better =
        !best ||
        (r.steps !== undefined && (best.r.steps === undefined || r.steps < best.r.steps)) ||
        (r.steps === undefined && best.r.steps === undefined && r.finalLoss < best.r.finalLoss);
      if (better) best = { label: g.label, make: g.make, r };
    }
    const chosen = best as NonNullable<typeof best>;
    const runs = Array.from({ length: SEEDS }, (_, s) => train(task, chosen.make, s, m.maxSteps));
    curves[m.name] = runs[0]?.curve ?? [];
    const ok = runs.filter((r) => r.steps !== undefined);
    const [st, stCi] = meanCi(ok.map((r) => r.steps as number));
    const [ms, msCi] = meanCi(ok.map((r) => r.ms));
    const perStep = ok.reduce((a, r) => a + r.ms / Math.max(1, r.steps as number), 0) / Math.max(1, ok.length);
    summary[m.name] = { steps: ok.length === runs.length ? st : Number.POSITIVE_INFINITY, ci: stCi, ms };
    lines.push(
      `| ${m.name} | ${chosen.label} | ${ok.length}/${runs.length} | ${ok.length ? `${st.toFixed(0)} ± ${stCi.toFixed(0)}` : `— (final ${meanCi(runs.map((r) => r.finalLoss))[0].toPrecision(3)})`} | ${ok.length ? `${ms.toFixed(0)} ± ${msCi.toFixed(0)}` : '—'} | ${ok.length ? perStep.toFixed(2) : '—'} |`,
    );
    results[`${task.name}/${m.name}`] = { setting: chosen.label, runs: runs.map(({ curve: _c, ...r }) => r) };
    process.stderr.write(`${task.name} ${m.name}: ${chosen.label}, ${ok.length}/${runs.length} reached\n`);
  }
  // A claim holds when the 95% intervals of the mean steps do not overlap.
  const verdict = (a: string, b: string) => {
    const [x, y] = [summary[a], summary[b]];
    if (!x || !y || !Number.isFinite(x.steps) || !Number.isFinite(y.steps)) return 'n/a (not all seeds reached)';
    const tag =
      x.steps + x.ci < y.steps - y.ci ? 'yes' : x.steps - x.ci > y.steps + y.ci ? 'no (slower)' : 'tie (CIs overlap)';
    return `${tag}: ${x.steps.toFixed(1)} ± ${x.ci.toFixed(1)} vs ${y.steps.toFixed(1)} ± ${y.ci.toFixed(1)} steps`;
  };
  lines.push(
    '',
    `FOSI(Adam) speeds up Adam: ${verdict('fosi(adam)', 'adam')}`,
    `Shampoo beats Adam per step: ${verdict('shampoo', 'adam')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  const maxLen = Math.max(...Object.values(curves).map((c) => c.length));
  const rows = Array.from({ length: maxLen }, (_, i) => {
    const row: Record<string, number> = { step: i + 1 };
    for (const [k, c] of Object.entries(curves)) if (i < c.length) row[k] = c[i] as number;
    return row;
  });
  await writeLineChart(`${out}/mlp_${task.name}.svg`, rows, {
    x: 'step',
    y: Object.keys(curves),
    logY: true,
    title: `${task.name}: full-batch loss (seed 0)`,
    yTitle: 'loss',
  });
}
writeFileSync(`${out}/mlp.json`, JSON.stringify(results, null, 1));
