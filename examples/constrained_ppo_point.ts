// Constrained point robot (issue 20): unconstrained PPO, Lagrangian PPO (GDA multiplier) and
// ReLOAD-PPO (optimistic multiplier) with a hazard disc on the straight path to the goal.
//
//   nice -n 10 npx tsx examples/constrained_ppo_point.ts [--seeds 3] [--steps 200000] [--limit 0.01]
//        [--radius 0.3] [--dual-lr 1] [--num-steps 2048] [--out examples] [--json]
//
// Env: PointRobot-v0 (start at the origin, actions clipped to ±0.1 per axis, reward 1 per step
// within 0.2 of the goal, 100-step episodes). Its goal is a per-row task the observation does not
// show; a task sticks to its row across resets, and `rl.ppo.train` builds its env as
// envs.make(env, { numEnvs, seed }), so with numEnvs 1 every episode of a run has the same goal,
// which this script reads back from envs.make('PointRobot-v0', { numEnvs: 1, seed }). The goal is
// on the unit half circle, so every seed has the same geometry up to a rotation. The hazard is a
// disc of --radius centred halfway to the goal (on the straight line), cost 1 per step taken from
// inside it (rl.costs.hazard); constraint: expected per-step cost ≤ --limit.
// PPO at CleanRL's continuous settings (1 env × 2048 steps, 32 minibatches, 10 epochs) with
// normalizeObs off (costs read raw observations). "Unconstrained" is the same run with dualLr 0.
// Reported per variant (mean ± 95% CI over seeds): final training return, the cost rate over the
// last 20% of updates (its mean and its std across those updates, the oscillation), the std of λ
// over the last 20%, and the last iterate: the final policy's cost rate and return over 20 fresh
// episodes with sampled actions at the same goal (limit met or not). Figures: <out>/constrained_ppo_point_{return,cost}.svg.
//
// Result (5 seeds, 409600 steps, dualLr 5, r 0.3, limit 0.01): both Lagrangian variants cut the cost
// rate from 0.050 to ~0.015 but meet the limit at the last iterate in only 2/5 (GDA) and 1/5 (ReLOAD)
// seeds; the cost std over the last 20% is no smaller for ReLOAD (0.003 vs 0.002). One GDA seed
// collapses to never reaching the sparse goal (return 0); at 819200 steps one ReLOAD seed does too.

import { writeLineChart } from '../src/cli/plot.js';
import { envs, random, rl } from '../src/index.js';
import type { CostFn, Policy } from '../src/rl/index.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const seeds = opt('seeds', 3);
const totalSteps = opt('steps', 200_000);
const limit = opt('limit', 0.01);
const radius = opt('radius', 0.3);
const dualLr = opt('dual-lr', 1);
const numSteps = opt('num-steps', 2048);
const asJson = args.includes('--json');
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? (args[outIdx + 1] as string) : 'examples';
const ENV = 'PointRobot-v0';

/** The goal every episode of a numEnvs-1 run with this seed has (the env's row-0 task). */
function goalOf(seed: number): Float32Array {
  const env = envs.make(ENV, { numEnvs: 1, seed });
  const g = env.getTasks();
  env.close();
  return g;
}

/** The hazard disc halfway along the straight line from the origin to the goal. */
const hazardOf = (goal: Float32Array): CostFn =>
  rl.costs.hazard({ center: new Float32Array([0.5 * (goal[0] as number), 0.5 * (goal[1] as number)]), radius });

// The final policy's per-step cost rate and mean return over `episodes` fresh episodes (sampled actions).
function lastIterate(policy: Policy, goal: Float32Array, cost: CostFn, seed: number, episodes = 20) {
  const env = envs.make(ENV, { numEnvs: episodes, seed: 10_000 + seed });
  const tasks = new Float32Array(2 * episodes);
  for (let i = 0; i < episodes; i++) tasks.set(goal, 2 * i);
  env.setTasks(tasks);
  let obs = env.reset().slice();
  const done = new Uint8Array(episodes);
  let steps = 0;
  let costs = 0;
  let ret = 0;
  const key = random.key(20_000 + seed);
  for (let t = 0; done.some((d) => d === 0); t++) {
    const a = policy.act(obs, { deterministic: false, key: random.fold(key, t) }) as Float32Array;
    const r = env.step(a);
    for (let i = 0; i < episodes; i++) {
      if (done[i]) continue;
      steps++;
      costs += cost(obs.subarray(2 * i, 2 * i + 2), a.subarray(2 * i, 2 * i + 2));
      ret += r.reward[i] as number;
      if (r.terminated[i] || r.truncated[i]) done[i] = 1;
    }
    obs = r.obs.slice();
  }
  env.close();
  return { cost: costs / steps, ret: ret / episodes };
}

type Variant = 'unconstrained' | 'gda' | 'reload';
const variants: Variant[] = ['unconstrained', 'gda', 'reload'];
interface Run {
  variant: Variant;
  seed: number;
  goal: number[];
  returns: number[];
  costs: number[];
  multipliers: number[];
  last: { cost: number; ret: number };
}
const runs: Run[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const goal = goalOf(seed);
  const cost = hazardOf(goal);
  for (const variant of variants) {
    const r = await rl.ppo.train({
      env: ENV,
      totalSteps,
      seed,
      numEnvs: 1,
      numSteps,
      normalizeObs: false,
      constraints: [{ cost, limit, name: 'hazard' }],
      lagrangian: variant === 'reload' ? 'reload' : 'gda',
      dualLr: variant === 'unconstrained' ? 0 : dualLr,
    });
    const L = r.lagrangian ?? [];
    runs.push({
      variant,
      seed,
      goal: Array.from(goal),
      returns: r.history.map((h) => h.meanReturn),
      costs: L.map((s) => s.costs[0] as number),
      multipliers: L.map((s) => s.multipliers[0] as number),
      last: lastIterate(r.policy, goal, cost, seed),
    });
    if (!asJson) process.stderr.write(`seed ${seed} ${variant} done\n`);
  }
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]): number => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / v.length);
const ci = (v: number[], d = 3): string => {
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
  return `${mean(v).toFixed(d)} ± ${((1.96 * sd) / Math.sqrt(v.length)).toFixed(d)}`;
};
const tail = (v: number[]): number[] => v.slice(Math.floor(v.length * 0.8));

if (asJson) console.log(JSON.stringify({ totalSteps, limit, radius, dualLr, numSteps, runs }));
else {
  console.log(
    `${ENV}, hazard disc r=${radius} halfway to the goal, limit ${limit} per step; ${totalSteps} steps, ${seeds} seeds, dualLr ${dualLr}`,
  );
  console.log(
    '| variant | return (train) | cost, last 20% | cost std, last 20% | λ std, last 20% | last-iterate cost | met | last-iterate return |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const v of variants) {
    const rs = runs.filter((r) => r.variant === v);
    const met = rs.filter((r) => r.last.cost <= limit).length;
    const cells = [
      v,
      ci(
        rs.map((r) => r.returns.at(-1) as number),
        1,
      ),
      ci(rs.map((r) => mean(tail(r.costs)))),
      ci(rs.map((r) => std(tail(r.costs)))),
      ci(rs.map((r) => std(tail(r.multipliers)))),
      ci(rs.map((r) => r.last.cost)),
      `${met}/${rs.length}`,
      ci(
        rs.map((r) => r.last.ret),
        1,
      ),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

// Learning curves: mean over seeds per update of the training return and the rollout cost rate.
const updates = Math.min(...runs.map((r) => r.costs.length));
const curve = (field: 'returns' | 'costs') => {
  const rows: Record<string, number>[] = [];
  for (let u = 0; u < updates; u++) {
    const row: Record<string, number> = { steps: (u + 1) * numSteps };
    for (const v of variants) {
      const vals = runs.filter((r) => r.variant === v).map((r) => r[field][u] as number);
      row[v] = mean(vals.filter(Number.isFinite));
    }
    if (field === 'costs') row.limit = limit;
    rows.push(row);
  }
  return rows;
};
await writeLineChart(`${out}/constrained_ppo_point_return.svg`, curve('returns'), {
  x: 'steps',
  y: variants,
  title: `${ENV} with a hazard: training return, mean of ${seeds} seeds`,
  xTitle: 'env steps',
  yTitle: 'episode return',
});
await writeLineChart(`${out}/constrained_ppo_point_cost.svg`, curve('costs'), {
  x: 'steps',
  y: [...variants, 'limit'],
  title: `${ENV} with a hazard: per-step cost rate per rollout, mean of ${seeds} seeds`,
  xTitle: 'env steps',
  yTitle: 'cost rate',
});
if (!asJson) console.log(`figures: ${out}/constrained_ppo_point_return.svg, ${out}/constrained_ppo_point_cost.svg`);
