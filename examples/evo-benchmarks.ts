// Every strategy on sphere and Rosenbrock in 10 and 100 dimensions, each against a stated target
// within a stated evaluation budget (early stop at the target). Prints one row per run.
//   npx tsx examples/evo-benchmarks.ts [strategy…]        e.g. `cmaEs sepCmaEs`
import * as evo from '../src/evo/index.js';

type Problem = 'sphere' | 'rosenbrock';
interface Run {
  strategy: evo.StrategyName;
  options: (d: number) => Record<string, unknown>;
}

const RUNS: Run[] = [
  { strategy: 'cmaEs', options: () => ({ sigma: 0.5 }) },
  { strategy: 'sepCmaEs', options: () => ({ sigma: 0.5 }) },
  { strategy: 'snes', options: () => ({ sigma: 0.5 }) },
  { strategy: 'pgpe', options: (d) => ({ popSize: 100, sigma: 0.3, lr: d > 10 ? 0.05 : 0.02 }) },
  { strategy: 'openaiEs', options: () => ({ popSize: 100, sigma: 0.02, lr: 0.01, tableSize: 1 << 20 }) },
  { strategy: 'ga', options: () => ({ popSize: 100, sigma: 0.01, initSigma: 0.5, parents: 10 }) },
  { strategy: 'cbo', options: () => ({ popSize: 200, sigma: 1, lambda: 1, dt: 0.05, alpha: 1e4 }) },
];

/** Target best fitness per (problem, dimension); CMA-ES's Rosenbrock-10 target is the 1e-8. */
function target(strategy: string, problem: Problem, d: number): number {
  if (problem === 'sphere') return 1e-6;
  if (strategy === 'cmaEs' || strategy === 'sepCmaEs') return d === 10 ? 1e-8 : 1e-4;
  return d === 10 ? 1e-2 : 1;
}
// Full CMA-ES is O(d²) per member in TypeScript: its 100-d Rosenbrock run gets a smaller budget.
const budget = (strategy: string, problem: Problem, d: number) =>
  d === 10 ? 200_000 : strategy === 'cmaEs' && problem === 'rosenbrock' ? 200_000 : 1_000_000;

const FACTORIES: Record<evo.StrategyName, (o: never) => evo.Strategy> = {
  openaiEs: evo.openaiEs as (o: never) => evo.Strategy,
  pgpe: evo.pgpe as (o: never) => evo.Strategy,
  snes: evo.snes as (o: never) => evo.Strategy,
  cmaEs: evo.cmaEs as (o: never) => evo.Strategy,
  sepCmaEs: evo.sepCmaEs as (o: never) => evo.Strategy,
  ga: evo.ga as (o: never) => evo.Strategy,
  cbo: evo.cbo as (o: never) => evo.Strategy,
};

const wanted = new Set(process.argv.slice(2));
console.log('strategy   problem     d   target   budget(evals)  best        evals-used  reached  seconds');
for (const run of RUNS) {
  if (wanted.size && !wanted.has(run.strategy)) continue;
  for (const problem of ['sphere', 'rosenbrock'] as const) {
    for (const d of [10, 100]) {
      const f = evo.functions[problem];
      const x0 = new Float32Array(d).fill(problem === 'sphere' ? 1 : 0);
      const goal = target(run.strategy, problem, d);
      const strategy = FACTORIES[run.strategy]({ ...run.options(d) } as never);
      strategy.init(new Uint32Array([0, 0]), x0); // fixes popSize for strategies whose default depends on d
      const generations = Math.ceil(budget(run.strategy, problem, d) / strategy.popSize);
      const t0 = performance.now();
      const r = await evo.optimize(f, { strategy, x0, generations, seed: 1, target: goal });
      const reached = r.bestFitness <= goal;
      console.log(
        `${run.strategy.padEnd(10)} ${problem.padEnd(10)} ${String(d).padStart(3)}   ${goal.toExponential(0).padEnd(7)}  ` +
          `${String(budget(run.strategy, problem, d)).padEnd(13)}  ${r.bestFitness.toExponential(2).padEnd(10)}  ${String(r.evaluations).padEnd(10)}  ` +
          `${reached ? 'yes' : 'NO '}      ${((performance.now() - t0) / 1e3).toFixed(1)}`,
      );
    }
  }
}
