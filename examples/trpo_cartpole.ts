// TRPO on CartPole-v1 with the trainer's defaults (8 envs × 256 steps, δ 0.01, CG 10 at damping
// 0.1, 10 backtracks × 0.8, 64-64 tanh, critic by 10 epochs of Adam 1e-3), 500k steps, 5 seeds.
//   npx tsx examples/trpo_cartpole.ts                  # native backend
//   npx tsx examples/trpo_cartpole.ts --backend js --seeds 1 --steps 100000
import { runTrpoSeeds } from './trpo_harness.js';

await runTrpoSeeds('CartPole-v1', { env: 'CartPole-v1', totalSteps: 500_000 }, 475, [1, 2, 3, 4, 5]);
