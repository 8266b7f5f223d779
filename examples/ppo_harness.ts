// Shared by the examples/ppo-*.ts scripts: trains one configuration over several seeds, times
// each run, evaluates the final policy on 100 fresh episodes and prints a table (or --json).
// Usage of the scripts: npx tsx examples/ppo_cartpole.ts [--backend native|js] [--seeds 1,2,3]
//   [--objectives clip,dpo] [--threads N] [--json]
import { backend, rl } from '../src/index.js';

export interface SeedResult {
  objective: string;
  seed: number;
  backend: string;
  threads: number;
  steps: number;
  trainSeconds: number;
  stepsPerSecond: number;
  /** Seconds until the mean of the last 100 training episodes first reached the target (null: never). */
  secondsToTarget: number | null;
  stepsToTarget: number | null;
  evalMean: number;
  evalStd: number;
  solved: boolean;
}

export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[a.slice(2)] = 'true';
    else {
      out[a.slice(2)] = next;
      i++;
    }
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Trains `config` for every seed and objective, evaluates, prints and returns the results. */
export async function runSeeds(
  title: string,
  config: rl.PpoConfig,
  target: number,
  defaults: { seeds: number[]; objectives: rl.PolicyObjective[] },
): Promise<SeedResult[]> {
  const args = parseArgs(process.argv.slice(2));
  if (args.backend) backend.use(args.backend as 'native' | 'js');
  if (args.threads) backend.threads(Number(args.threads));
  const seeds = args.seeds ? args.seeds.split(',').map(Number) : defaults.seeds;
  const objectives = (args.objectives ? args.objectives.split(',') : defaults.objectives) as rl.PolicyObjective[];
  const totalSteps = args.steps ? Number(args.steps) : config.totalSteps;
  const results: SeedResult[] = [];
  for (const objective of objectives) {
    for (const seed of seeds) {
      let secondsToTarget: number | null = null;
      let stepsToTarget: number | null = null;
      const t0 = performance.now();
      const { policy, history } = await rl.ppo.train({
        ...config,
        totalSteps,
        objective,
        seed,
        onUpdate: (s) => {
          if (secondsToTarget === null && s.meanReturn >= target) {
            secondsToTarget = (performance.now() - t0) / 1000;
            stepsToTarget = s.steps;
          }
        },
      });
      const trainSeconds = (performance.now() - t0) / 1000;
      const ev = await rl.evaluate(policy, { episodes: 100, seed: 1000 + seed });
      const steps = history.at(-1)?.steps ?? 0;
      const r: SeedResult = {
        objective,
        seed,
        backend: backend.current(),
        threads: backend.threads(),
        steps,
        trainSeconds,
        stepsPerSecond: steps / trainSeconds,
        secondsToTarget,
        stepsToTarget,
        evalMean: ev.meanReturn,
        evalStd: ev.stdReturn,
        solved: ev.meanReturn >= target,
      };
      results.push(r);
      if (!args.json)
        console.log(
          `${title} ${objective} seed ${seed}: eval ${r.evalMean.toFixed(1)} ± ${r.evalStd.toFixed(1)} ${r.solved ? '(≥ target)' : '(below target)'}; ` +
            `train ${trainSeconds.toFixed(2)} s, ${Math.round(r.stepsPerSecond)} steps/s, ${r.backend}×${r.threads}; ` +
            `training mean reached ${target} at ${secondsToTarget === null ? 'never' : `${(secondsToTarget as number).toFixed(2)} s / ${stepsToTarget} steps`}`,
        );
    }
  }
  if (args.json) console.log(JSON.stringify(results));
  else {
    for (const objective of objectives) {
      const rs = results.filter((r) => r.objective === objective);
      const reached = rs.map((r) => r.secondsToTarget).filter((x): x is number => x !== null);
      console.log(
        `${title} ${objective}: ${rs.filter((r) => r.solved).length}/${rs.length} seeds ≥ ${target} (100-episode eval); ` +
          `median train ${median(rs.map((r) => r.trainSeconds)).toFixed(2)} s, ${Math.round(median(rs.map((r) => r.stepsPerSecond)))} steps/s; ` +
          `median time to a training mean of ${target}: ${reached.length ? `${median(reached).toFixed(2)} s (${reached.length}/${rs.length} reached)` : 'never'}`,
      );
    }
  }
  return results;
}
