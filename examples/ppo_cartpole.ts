// PPO on CartPole-v1 with CleanRL's defaults (4 envs × 128 steps, 4 minibatches, 4 epochs,
// lr 2.5e-4 annealed, 500k steps), for the clipped and the DPO objective over 5 seeds.
//   npx tsx examples/ppo_cartpole.ts                  # native backend
//   npx tsx examples/ppo_cartpole.ts --backend js --seeds 1
import { runSeeds } from './ppo_harness.js';

await runSeeds('CartPole-v1', { env: 'CartPole-v1', totalSteps: 500_000 }, 475, {
  seeds: [1, 2, 3, 4, 5],
  objectives: ['clip', 'dpo'],
});
