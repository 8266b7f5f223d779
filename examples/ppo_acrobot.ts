// PPO on Acrobot-v1 with CleanRL's discrete defaults (the setting of its published −86), 500k steps.
//   npx tsx examples/ppo_acrobot.ts [--seeds 1,2,3] [--objectives clip,dpo]
import { runSeeds } from './ppo_harness.js';

await runSeeds('Acrobot-v1', { env: 'Acrobot-v1', totalSteps: 500_000 }, -100, {
  seeds: [1, 2, 3],
  objectives: ['clip'],
});
