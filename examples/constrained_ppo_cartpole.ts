// Constrained CartPole (issue 20): unconstrained PPO, Lagrangian PPO (GDA multiplier) and
// ReLOAD-PPO (optimistic multiplier) under a position constraint.
//
//   nice -n 10 npx tsx examples/constrained_ppo_cartpole.ts [--seeds 3] [--steps 300000]
//                      [--limit 0.2] [--bound 0.5] [--dual-lr 1] [--num-envs 8] [--num-steps 256] [--json]
//
// Cost: 1 on every step the cart is farther than --bound from the centre (rl.costs.cartpolePosition),
// constraint: expected per-step cost ≤ --limit. PPO at CleanRL's CartPole settings except a larger
// rollout (--num-envs × --num-steps per update, so each update's cost estimate is less noisy).
// "Unconstrained" is the same run with dualLr 0 (λ stays 0; costs only monitored).
// Reported per variant (mean ± 95% CI over seeds): final training return (mean of the last 100
// episodes), the cost rate over the last 20% of updates (its mean and its std across those
// updates, the oscillation), the std of λ over the last 20%, and the last iterate: the final
// policy's cost rate and return over 20 fresh episodes with sampled actions (limit met or not).

import { envs, random, rl } from '../src/index.js';
import type { Policy } from '../src/rl/index.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const seeds = opt('seeds', 3);
const totalSteps = opt('steps', 300_000);
const limit = opt('limit', 0.2);
const bound = opt('bound', 0.5);
const dualLr = opt('dual-lr', 1);
const numEnvs = opt('num-envs', 8);
const numSteps = opt('num-steps', 256);
const asJson = args.includes('--json');
const cost = rl.costs.cartpolePosition(bound);

// The final policy's per-step cost rate and mean return over `episodes` fresh episodes (sampled actions).
function lastIterate(policy: Policy, seed: number, episodes = 20): { cost: number; ret: number } {
  const env = envs.make('CartPole-v1', { numEnvs: episodes, seed: 10_000 + seed });
  let obs = env.reset().slice();
  const done = new Uint8Array(episodes);
  let steps = 0;
  let costs = 0;
  let ret = 0;
  const key = random.key(20_000 + seed);
  for (let t = 0; done.some((d) => d === 0); t++) {
    const a = policy.act(obs, { deterministic: false, key: random.fold(key, t) });
    const r = env.step(a);
    for (let i = 0; i < episodes; i++) {
      if (done[i]) continue;
      steps++;
      costs += cost(obs.subarray(4 * i, 4 * i + 4), a[i] as number);
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
  returns: number[];
  costs: number[];
  multipliers: number[];
  last: { cost: number; ret: number };
}
const runs: Run[] = [];
for (const variant of variants)
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await rl.ppo.train({
      env: 'CartPole-v1',
      totalSteps,
      seed,
      numEnvs,
      numSteps,
      constraints: [{ cost, limit, name: 'position' }],
      lagrangian: variant === 'reload' ? 'reload' : 'gda',
      dualLr: variant === 'unconstrained' ? 0 : dualLr,
    });
    const L = r.lagrangian ?? [];
    runs.push({
      variant,
      seed,
      returns: r.history.map((h) => h.meanReturn),
      costs: L.map((s) => s.costs[0] as number),
      multipliers: L.map((s) => s.multipliers[0] as number),
      last: lastIterate(r.policy, seed),
    });
    if (!asJson) process.stderr.write(`${variant} seed ${seed} done\n`);
  }

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]): number => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / v.length);
const ci = (v: number[], d = 3): string => {
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
  return `${mean(v).toFixed(d)} ± ${((1.96 * sd) / Math.sqrt(v.length)).toFixed(d)}`;
};
const tail = (v: number[]): number[] => v.slice(Math.floor(v.length * 0.8));

if (asJson) console.log(JSON.stringify({ totalSteps, limit, bound, dualLr, numEnvs, numSteps, runs }));
else {
  console.log(
    `CartPole-v1, cost 1 when |x| > ${bound}, limit ${limit} per step; ${totalSteps} steps, ${seeds} seeds, dualLr ${dualLr}`,
  );
  console.log(
    'variant        | return (train) | cost, last 20%  | cost std, last 20% | λ std, last 20% | last-iterate cost | met | last-iterate return',
  );
  for (const v of variants) {
    const rs = runs.filter((r) => r.variant === v);
    const met = rs.filter((r) => r.last.cost <= limit).length;
    console.log(
      [
        v.padEnd(14),
        ci(
          rs.map((r) => r.returns.at(-1) as number),
          0,
        ).padStart(14),
        ci(rs.map((r) => mean(tail(r.costs)))).padStart(15),
        ci(rs.map((r) => std(tail(r.costs)))).padStart(18),
        ci(rs.map((r) => std(tail(r.multipliers)))).padStart(15),
        ci(rs.map((r) => r.last.cost)).padStart(17),
        `${met}/${rs.length}`.padStart(3),
        ci(
          rs.map((r) => r.last.ret),
          0,
        ).padStart(19),
      ].join(' | '),
    );
  }
}
