// The deceptive point maze (evo.pointMaze: a cup of walls between start and goal, reward only
// inside the goal disc, final (x, y) as behaviour descriptor; policy a 2-8-2 tanh MLP, 42 params):
// SERENE and plain novelty search (evo.serene, emitters on/off; the authors' settings: population
// 100, σ 0.05, genome in [−5, 5], k 15, chunks of 1000) vs OpenAI-ES (population 50, σ 0.1,
// Adam default) on the sparse reward itself and on the dense, deceptive −distance to the goal.
// Same number of evaluations for all. Reports per method over seeds: runs that reached the goal
// (any evaluated policy ending in the goal disc), evaluations to the first success, best reward,
// and coverage (fraction of a 20 × 20 grid of final positions reached by any evaluation) over time.
// Figures: examples/qd_maze_coverage.svg (mean coverage) and examples/qd_maze_success.svg (runs
// that reached the goal) against evaluations.
//   nice -n 10 npx tsx examples/qd_maze.ts [--seeds 1,2,3,4,5] [--budget 20000] [--out examples]
import { writeLineChart } from '../src/cli/plot.js';
import { evo, random } from '../src/index.js';
import { parseArgs } from './ppo_harness.js';

const args = parseArgs(process.argv.slice(2));
const seeds = (args.seeds ?? '1,2,3,4,5').split(',').map(Number);
const out = args.out ?? 'examples';
const budget = Number(args.budget ?? 20_000);
const maze = evo.pointMaze();
const GRID = 20;
// Coverage is recorded at 20 marks (the figure); the table shows 4 of them.
const marks = Array.from({ length: 20 }, (_, j) => Math.round(((j + 1) * budget) / 20));
const shown = [1, 4, 9, 19];

/** Wraps a batch evaluator to record coverage of final positions at the evaluation marks. */
function recorder() {
  const seen = new Uint8Array(GRID * GRID);
  let cells = 0;
  let evals = 0;
  const coverage: number[] = [];
  const record = (desc: Float32Array) => {
    for (let i = 0; i < desc.length / 2; i++) {
      const cx = Math.min(GRID - 1, Math.floor((desc[2 * i] as number) * GRID));
      const cy = Math.min(GRID - 1, Math.floor((desc[2 * i + 1] as number) * GRID));
      if (!seen[cy * GRID + cx]) {
        seen[cy * GRID + cx] = 1;
        cells++;
      }
      evals++;
      while (coverage.length < marks.length && evals >= (marks[coverage.length] as number))
        coverage.push(cells / (GRID * GRID));
    }
  };
  /** Coverage at the marks; marks past the last evaluation (a run may stop short of the budget) get the final value. */
  const final = () => [...coverage, ...marks.slice(coverage.length).map(() => cells / (GRID * GRID))];
  return { record, final };
}

interface Run {
  reached: boolean;
  firstAt: number;
  best: number;
  coverage: number[];
}

function runSerene(seed: number, emitters: boolean): Run {
  const rec = recorder();
  const r = evo.serene({
    dim: maze.dim,
    descriptorDim: 2,
    budget,
    seed,
    emitters,
    evaluate: (g) => {
      const b = maze.runBatch(g);
      rec.record(b.descriptors);
      return b;
    },
  });
  return { reached: r.firstRewardAt >= 0, firstAt: r.firstRewardAt, best: r.bestReward, coverage: rec.final() };
}

function runEs(seed: number, dense: boolean): Run {
  const rec = recorder();
  const s = evo.openaiEs({ popSize: 50, sigma: 0.1, minimize: false });
  let state = s.init(random.key(seed), new Float32Array(maze.dim));
  let evals = 0;
  let firstAt = -1;
  let best = 0;
  for (let g = 0; evals + 50 <= budget; g++) {
    const pop = s.ask(state, random.fold(random.key(seed + 1000), g));
    const b = maze.runBatch(pop.x);
    rec.record(b.descriptors);
    b.rewards.forEach((r, i) => {
      if (r > 0 && firstAt < 0) firstAt = evals + i + 1;
      best = Math.max(best, r);
    });
    evals += 50;
    state = s.tell(state, pop, dense ? b.distances.map((d) => -d) : b.rewards);
  }
  return { reached: firstAt >= 0, firstAt, best, coverage: rec.final() };
}

const methods: [string, (seed: number) => Run][] = [
  ['SERENE', (s) => runSerene(s, true)],
  ['novelty search', (s) => runSerene(s, false)],
  ['OpenAI-ES (sparse reward)', (s) => runEs(s, false)],
  ['OpenAI-ES (dense −distance)', (s) => runEs(s, true)],
];
console.log(`point maze, ${budget} evaluations per run, seeds ${seeds.join(',')}`);
console.log(
  `| method | reached goal | evaluations to first success (median) | best reward (mean) | coverage at ${shown.map((j) => marks[j]).join(' / ')} evals |`,
);
console.log('|---|---|---|---|---|');
const coverageRows = marks.map((m) => ({ evaluations: m }) as Record<string, number>);
const successRows = marks.map((m) => ({ evaluations: m }) as Record<string, number>);
for (const [label, run] of methods) {
  const t0 = performance.now();
  const runs = seeds.map(run);
  marks.forEach((m, j) => {
    (coverageRows[j] as Record<string, number>)[label] =
      runs.reduce((a, r) => a + (r.coverage[j] ?? 0), 0) / runs.length;
    (successRows[j] as Record<string, number>)[label] =
      runs.filter((r) => r.reached && r.firstAt <= m).length / runs.length;
  });
  const hits = runs.filter((r) => r.reached).map((r) => r.firstAt);
  hits.sort((a, b) => a - b);
  const med = hits.length ? String(hits[(hits.length - 1) >> 1]) : '—';
  const cov = shown.map((j) => (runs.reduce((a, r) => a + (r.coverage[j] ?? 0), 0) / runs.length).toFixed(2));
  const best = runs.reduce((a, r) => a + r.best, 0) / runs.length;
  console.log(
    `| ${label} | ${hits.length}/${runs.length} | ${med} | ${best.toFixed(2)} | ${cov.join(' / ')} |` +
      `  <!-- ${((performance.now() - t0) / 1000).toFixed(0)} s -->`,
  );
}
const methodNames = methods.map(([m]) => m);
await writeLineChart(`${out}/qd_maze_coverage.svg`, coverageRows, {
  x: 'evaluations',
  y: methodNames,
  title: `point maze: 20×20 coverage, mean of ${seeds.length} seeds`,
  yTitle: 'coverage',
});
await writeLineChart(`${out}/qd_maze_success.svg`, successRows, {
  x: 'evaluations',
  y: methodNames,
  title: `point maze: runs that reached the goal (of ${seeds.length})`,
  yTitle: 'fraction of runs',
});
console.log(`figures: ${out}/qd_maze_coverage.svg, ${out}/qd_maze_success.svg`);
