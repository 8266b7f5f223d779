// PPO on Pendulum-v1 (continuous actions). CleanRL's continuous defaults with a larger batch from
// 8 envs, γ = 0.9 (Pendulum's reward is dense and immediate) and lr 1e-3, as RL-Zoo tunes it.
//   npx tsx examples/ppo_pendulum.ts [--seeds 1,2,3] [--steps N]
import { runSeeds } from './ppo_harness.js';

await runSeeds(
  'Pendulum-v1',
  {
    env: 'Pendulum-v1',
    totalSteps: 500_000,
    numEnvs: 8,
    numSteps: 256,
    numMinibatches: 32,
    updateEpochs: 10,
    gamma: 0.9,
    lr: 1e-3,
  },
  -250,
  { seeds: [1, 2, 3], objectives: ['clip'] },
);
