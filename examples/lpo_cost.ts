// What the learned drift costs inside a whole PPO run: process CPU seconds of a 20k-step CartPole-v1
// PPO run (native backend, 1 thread) with the 'clip' objective and with an LPO drift [32] at its
// init, median of 5 seeds after one warm-up run.
//
//   npx tsx examples/lpo_cost.ts
import { backend, learned, rl } from '../src/index.js';

type Objective = Parameters<typeof rl.ppo.train>[0]['objective'];

async function medianCpuSeconds(objective: Objective): Promise<number> {
  const xs: number[] = [];
  for (let seed = 0; seed < 5; seed++) {
    const c0 = process.cpuUsage();
    await rl.ppo.train({ env: 'CartPole-v1', totalSteps: 20_000, seed, objective });
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / 1e6);
  }
  xs.sort((a, b) => a - b);
  return xs[2] as number;
}

backend.threads(1);
const net = learned.driftFunction({ hidden: [32], temporal: false });
await medianCpuSeconds('clip'); // warm-up: JIT, buffers
const clip = await medianCpuSeconds('clip');
const lpo = await medianCpuSeconds({ drift: net.init(1), net });
console.log(
  JSON.stringify({ backend: backend.info().name, clipCpuSeconds: clip, lpoCpuSeconds: lpo, ratio: lpo / clip }),
);
