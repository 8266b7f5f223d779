// TRPO on Pendulum-v1 (diagonal-Gaussian policy): the trainer's continuous defaults (observation
// and reward normalization, δ 0.01, CG 10 at damping 0.1) with 8 envs × 256 steps, γ 0.9 and GAE
// λ 0.95 (Pendulum's reward is dense and immediate; RL-Zoo's TRPO setting), 500k steps, 3 seeds.
//   npx tsx examples/trpo_pendulum.ts [--seeds 1,2,3] [--steps N] [--backend js]
import { runTrpoSeeds } from './trpo_harness.js';

await runTrpoSeeds(
  'Pendulum-v1',
  { env: 'Pendulum-v1', totalSteps: 500_000, numEnvs: 8, numSteps: 256, gamma: 0.9, vfEpochs: 20 },
  -250,
  [1, 2, 3],
);
