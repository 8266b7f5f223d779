// Shared by the examples/trpo-*.ts scripts: trains one TRPO configuration over several seeds,
// records when the mean return of the last 100 training episodes first reaches the target,
// evaluates the final policy on 100 fresh greedy episodes, and prints per-seed lines and a
// summary with mean ± 95% CI over seeds (Student t), or --json.
// Flags: [--backend native|js] [--seeds 1,2,3] [--steps N] [--threads N] [--json]
import { backend, rl } from '../src/index.js';
import { parseArgs } from './ppo_harness.js';

export interface TrpoSeedResult {
  seed: number;
  backend: string;
  steps: number;
  trainSeconds: number;
  stepsPerSecond: number;
  /** Steps and seconds until the training mean (last 100 episodes) first reached the target (null: never). */
  stepsToTarget: number | null;
  secondsToTarget: number | null;
  /** Mean return of the last 100 training episodes at the end. */
  finalTrainMean: number;
  /** 100 greedy episodes of the final policy. */
  evalMean: number;
  evalStd: number;
  /** Fraction of updates whose line search accepted a step. */
  acceptedSteps: number;
  /**
   * Before the target is first reached, the fraction of updates after which the training mean
   * rose (the reference's proposed check: monotone improvement in > 80% of iterations at δ 0.01).
   */
  improving: number;
}

// Two-sided 95% Student-t quantiles for n − 1 degrees of freedom (n = 2..10).
const T95 = [Number.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262];

/** mean ± half-width of the 95% confidence interval. */
export function meanCi(xs: number[]): { mean: number; ci: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci: Number.NaN };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, ci: ((T95[n - 1] ?? 1.96) * sd) / Math.sqrt(n) };
}

const fmt = ({ mean, ci }: { mean: number; ci: number }, d = 1) => `${mean.toFixed(d)} ± ${ci.toFixed(d)}`;

/** Trains `config` for every seed, evaluates, prints and returns the results. */
export async function runTrpoSeeds(
  title: string,
  config: rl.trpo.TrpoConfig,
  target: number,
  defaultSeeds: number[],
): Promise<TrpoSeedResult[]> {
  const args = parseArgs(process.argv.slice(2));
  if (args.backend) backend.use(args.backend as 'native' | 'js');
  if (args.threads) backend.threads(Number(args.threads));
  const seeds = args.seeds ? args.seeds.split(',').map(Number) : defaultSeeds;
  const totalSteps = args.steps ? Number(args.steps) : config.totalSteps;
  const results: TrpoSeedResult[] = [];
  for (const seed of seeds) {
    let secondsToTarget: number | null = null;
    let stepsToTarget: number | null = null;
    let rises = 0;
    let compared = 0;
    let last = Number.NaN;
    const t0 = performance.now();
    const { policy, history } = await rl.trpo.train({
      ...config,
      totalSteps,
      seed,
      onUpdate: (s) => {
        if (secondsToTarget === null && Number.isFinite(last) && Number.isFinite(s.meanReturn)) {
          compared++;
          if (s.meanReturn > last) rises++;
        }
        last = s.meanReturn;
        if (secondsToTarget === null && s.meanReturn >= target) {
          secondsToTarget = (performance.now() - t0) / 1000;
          stepsToTarget = s.steps;
        }
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const ev = await rl.evaluate(policy, { episodes: 100, seed: 1000 + seed });
    const steps = history.at(-1)?.steps ?? 0;
    const r: TrpoSeedResult = {
      seed,
      backend: backend.current(),
      steps,
      trainSeconds,
      stepsPerSecond: steps / trainSeconds,
      stepsToTarget,
      secondsToTarget,
      finalTrainMean: history.at(-1)?.meanReturn ?? Number.NaN,
      evalMean: ev.meanReturn,
      evalStd: ev.stdReturn,
      acceptedSteps: history.filter((s) => s.stepFraction > 0).length / Math.max(1, history.length),
      improving: rises / Math.max(1, compared),
    };
    results.push(r);
    if (!args.json)
      console.log(
        `${title} TRPO seed ${seed}: greedy eval ${r.evalMean.toFixed(1)} ± ${r.evalStd.toFixed(1)}, ` +
          `final training mean ${r.finalTrainMean.toFixed(1)}; training mean reached ${target} at ` +
          `${stepsToTarget === null ? 'never' : `${stepsToTarget} steps / ${(secondsToTarget as unknown as number).toFixed(2)} s`}; ` +
          `${steps} steps in ${trainSeconds.toFixed(2)} s (${Math.round(r.stepsPerSecond)} steps/s, ${r.backend}); ` +
          `${(100 * r.acceptedSteps).toFixed(0)}% of line searches accepted; the training mean rose after ` +
          `${(100 * r.improving).toFixed(0)}% of the updates before the target`,
      );
  }
  if (args.json) console.log(JSON.stringify(results));
  else {
    const reached = results.filter((r) => r.stepsToTarget !== null);
    console.log(
      `${title} TRPO over ${results.length} seeds: greedy eval ${fmt(meanCi(results.map((r) => r.evalMean)))} ` +
        `(${results.filter((r) => r.evalMean >= target).length}/${results.length} ≥ ${target}); ` +
        `final training mean ${fmt(meanCi(results.map((r) => r.finalTrainMean)))}; ` +
        `training mean reached ${target} in ${reached.length}/${results.length}` +
        (reached.length > 0
          ? `, at ${fmt(meanCi(reached.map((r) => r.stepsToTarget as number)), 0)} steps, ` +
            `${fmt(meanCi(reached.map((r) => r.secondsToTarget as number)), 2)} s`
          : '') +
        `; full run ${fmt(meanCi(results.map((r) => r.trainSeconds)), 2)} s; ` +
        `rising updates ${fmt(meanCi(results.map((r) => 100 * r.improving)), 0)}%`,
    );
  }
  return results;
}
