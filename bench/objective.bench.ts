// The fused categorical policy objective (rlCategoricalObjective: loss, statistics and d loss/d
// logits in one pass) in samples/s, native vs js: PPO-clip, DPO, and the learned drift of LPO
// (hidden [32] and the reference's [128]) and TA-LPO ([32], temporal inputs). 4,096 samples of a
// 2-action policy whose ratios r = π/π_old spread over about [0.6, 1.6] and advantages ~ N(0, 1),
// so the drift is active (D > 0, its gradient is needed) on a share of the samples; θ is the
// drift's init(1), as learned.discoverPolicyObjective starts from. The CPU time per call
// (process.cpuUsage) is recorded too: a loaded machine inflates wall time, not CPU time.

import { type RlObjectiveOptions, RlPolicyStats } from '../src/backend/kernels/rl.js';
import type { Backend } from '../src/backend/types.js';
import { learned } from '../src/index.js';
import type { BenchRow, BenchSuite } from './harness.js';
import { medianCpuMs } from './harness.js';

const BATCH = 4096;
const ACTIONS = 2;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The objectives measured: label and options. */
function objectives(): [string, RlObjectiveOptions][] {
  const common = { clipEps: 0.2, entCoef: 0.01, normalizeAdv: true };
  const lpo = (hidden: number[], temporal: boolean): RlObjectiveOptions => {
    const net = learned.driftFunction({ hidden, temporal });
    return {
      objective: 'lpo',
      ...common,
      driftTheta: net.init(1),
      driftHidden: Int32Array.from(hidden),
      driftTemporal: temporal,
      driftProgress: temporal ? 0.5 : 0,
    };
  };
  return [
    ['clip', { objective: 'clip', ...common }],
    ['dpo', { objective: 'dpo', ...common, dpoAlpha: 2, dpoBeta: 0.6 }],
    ['lpo [32]', lpo([32], false)],
    ['lpo [128]', lpo([128], false)],
    ['ta-lpo [32]', lpo([32], true)],
  ];
}

const suite: BenchSuite = {
  name: 'objective',
  run(ctx) {
    const rows: BenchRow[] = [];
    const rand = lcg(7);
    const logits = Float32Array.from({ length: BATCH * ACTIONS }, () => rand() * 2 - 1);
    const actions = Int32Array.from({ length: BATCH }, () => Math.floor(rand() * ACTIONS));
    const oldLogp = new Float32Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      const z0 = logits[i * ACTIONS] as number;
      const z1 = logits[i * ACTIONS + 1] as number;
      const m = Math.max(z0, z1);
      const lse = m + Math.log(Math.exp(z0 - m) + Math.exp(z1 - m));
      const lp = (logits[i * ACTIONS + (actions[i] as number)] as number) - lse;
      oldLogp[i] = lp + (rand() - 0.5) * 0.9;
    }
    const adv = Float32Array.from({ length: BATCH }, () => {
      const u = Math.max(rand(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    });
    const none = new Float32Array(0);
    const dLogits = new Float32Array(BATCH * ACTIONS);
    const stats = new RlPolicyStats();
    for (const [label, options] of objectives())
      for (const [impl, b] of ctx.backends as [string, Backend][]) {
        const call = () => b.rlCategoricalObjective(logits, actions, oldLogp, adv, none, dLogits, stats, options);
        const ms = ctx.time(call, { minRuns: 7, warmup: 2 });
        const cpu = medianCpuMs(call, 7);
        rows.push({
          case: `objective ${label} (${BATCH} samples)`,
          impl,
          medianMs: ms,
          rate: BATCH / (ms / 1e3),
          rateUnit: 'samples/s',
          extra: { cpuMs: cpu, samplesPerCpuSecond: BATCH / (cpu / 1e3), policyLoss: stats.policyLoss },
        });
      }
    return rows;
  },
};

export default suite;
