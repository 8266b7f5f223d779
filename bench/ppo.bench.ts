// End-to-end PPO training on CartPole-v1 with CleanRL's defaults (4 envs × 128 steps, 4 epochs ×
// 4 minibatches of 128, 64-64 tanh actor and critic): env steps per second including the updates,
// native vs js, against the CleanRL-style PyTorch 1.13 PPO measured on this machine
// (../shared/reference/measured-here.md §5: 13.9k env steps/s, 21.9 s median to a mean of 475).
// native runs the whole 500k steps; js runs 100k (25.6k with --quick), as its rate is steady, and
// its median is scaled to the full run's 499,712 steps so the columns compare like with like.
import { use } from '../src/backend/index.js';
import { ppo } from '../src/rl/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

/** 976 updates × 512 steps: what CleanRL's 500k-step run takes. */
const FULL_RUN_STEPS = 499_712;

const suite: BenchSuite = {
  name: 'ppo',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const [impl] of ctx.backends) {
      use(impl as 'native' | 'js');
      const totalSteps = impl === 'native' ? 500_000 : ctx.quick ? 25_600 : 102_400;
      let steps = 0;
      let meanReturn = Number.NaN;
      const ms = await ctx.timeAsync(
        async () => {
          const { history } = await ppo.train({ env: 'CartPole-v1', totalSteps, seed: 1 });
          steps = history.at(-1)?.steps ?? 0;
          meanReturn = history.at(-1)?.meanReturn ?? Number.NaN;
        },
        { minRuns: impl === 'native' && !ctx.quick ? 3 : 1, warmup: 0, minTimeMs: 0 },
      );
      rows.push({
        case: 'ppo CartPole-v1 train',
        impl,
        medianMs: (ms * FULL_RUN_STEPS) / steps,
        rate: steps / (ms / 1e3),
        rateUnit: 'env steps/s',
        extra: { steps, measuredMs: ms, finalMeanReturn: meanReturn },
      });
    }
    rows.push({
      case: 'ppo CartPole-v1 train',
      impl: 'torch-1.13 (measured-here)',
      // Its 21.9 s stop at a mean of 475 (306,688 steps); at 13.9k steps/s the full run takes ~36 s.
      medianMs: (FULL_RUN_STEPS / 13_900) * 1e3,
      rate: 13_900,
      rateUnit: 'env steps/s',
      extra: { steps: 306_688, note: 'stops at a 100-episode mean of 475; median of 5 seeds' },
    });
    return rows;
  },
};

export default suite;
