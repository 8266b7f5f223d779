// Rollout steps per second (policy forward + sample + env step + store, all in one kernel call)
// with a 64-64 tanh policy and a value head on CartPole-v1 at 1024 envs, native vs js; and GAE.

import { use } from '../src/backend/index.js';
import { mlpParamCount } from '../src/backend/kernels/nn.js';
import * as envs from '../src/envs/index.js';
import * as random from '../src/random/index.js';
import * as rollout from '../src/rollout/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const suite: BenchSuite = {
  name: 'rollout',
  run(ctx) {
    const rows: BenchRow[] = [];
    const N = 1024;
    const T = ctx.quick ? 32 : 128;
    const sizes = [4, 64, 64, 3];
    const params = random.normal(random.key(0), mlpParamCount(sizes));
    for (let i = 0; i < params.length; i++) params[i] = params[i]! * 0.1;
    for (const [impl, b] of ctx.backends) {
      use(impl as 'native' | 'js');
      const env = envs.make('CartPole-v1', { numEnvs: N, seed: 0 });
      const opts: rollout.CollectOptions = {
        policy: { sizes, params, activation: 'tanh' },
        value: 'head',
        steps: T,
        key: random.key(1),
      };
      const out = rollout.collect(env, opts);
      const ms = ctx.time(() => void rollout.collect(env, { ...opts, out }), { minRuns: impl === 'js' ? 3 : 5 });
      rows.push({
        case: `rollout CartPole 64-64 tanh ${N} envs x ${T}`,
        impl,
        medianMs: ms,
        rate: (N * T) / (ms / 1e3),
        rateUnit: 'steps/s',
        extra: { threads: b.threads() },
      });
      const gms = ctx.time(() => void rollout.gae(out, { gamma: 0.99, lambda: 0.95 }));
      rows.push({ case: `gae ${T} x ${N}`, impl, medianMs: gms, rate: (N * T) / (gms / 1e3), rateUnit: 'steps/s' });
    }
    use(ctx.backends[0]![0] as 'native' | 'js');
    return rows;
  },
};
export default suite;
