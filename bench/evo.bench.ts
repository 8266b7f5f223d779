// Population episodes per second on CartPole-v1: P = 256 policies (4-64-2 tanh), E = 1 env each,
// episodes of up to T steps, in one esRolloutPolicies call, native vs js. Episode lengths depend
// on the policies, so the rate counts whole episodes and the extra column counts env steps.
// Also the ES gradient assembly Σ w_i ε_i from a noise table.
import type { BenchRow, BenchSuite } from './harness.js';

const SIZES = Int32Array.from([4, 64, 2]);
const PARAMS = 4 * 64 + 64 + 64 * 2 + 2;
const CARTPOLE = new Int32Array([0, 500, 0, 0]);

const suite: BenchSuite = {
  name: 'evo',
  run(ctx) {
    const rows: BenchRow[] = [];
    const P = 256;
    const params = new Float32Array(P * PARAMS);
    ctx.backends[0]![1].randomNormal(new Uint32Array([3, 4]), 0, params);
    // Balancing policies, so episodes run long: hidden unit 0 computes a linear controller
    // tanh(x/10 + ẋ/2 + 10θ + 2θ̇) and the logits are ∓ it; the other weights are small noise.
    for (let i = 0; i < params.length; i++) params[i] = (params[i] as number) * 0.01;
    for (let m = 0; m < P; m++) {
      const o = m * PARAMS;
      [0.1, 0.5, 10, 2].forEach((c, k) => {
        params[o + k * 64] = c;
      });
      const w2 = o + 4 * 64 + 64;
      params[w2] = -1; // logit 0 (push left) = −h0
      params[w2 + 1] = 1; // logit 1 (push right) = +h0
    }
    for (const T of ctx.quick ? [500] : [100, 500]) {
      for (const [impl, b] of ctx.backends) {
        const returns = new Float64Array(P);
        const lengths = new Int32Array(P);
        const desc = new Float32Array(P * 4);
        const key = new Uint32Array([7, 8]);
        const fn = () =>
          b.esRolloutPolicies(CARTPOLE, SIZES, params, key, new Float32Array(0), returns, lengths, desc, {
            hidden: 1,
            output: 0,
            envsPerMember: 1,
            maxSteps: T,
            commonEnvSeeds: false,
          });
        const ms = ctx.time(fn, { minRuns: impl === 'js' ? 3 : 5 });
        let steps = 0;
        for (const l of lengths) steps += l;
        rows.push({
          case: `cartpole rollout P=256 E=1 T<=${T}`,
          impl,
          medianMs: ms,
          rate: P / (ms / 1e3),
          rateUnit: 'episodes/s',
          extra: { envStepsPerSec: steps / (ms / 1e3), meanEpisodeLength: steps / P, threads: b.threads() },
        });
      }
    }
    const dim = 100_000;
    const n = 128;
    const table = new Float32Array(1 << 22);
    ctx.backends[0]![1].randomNormal(new Uint32Array([1, 1]), 0, table);
    const idx = Uint32Array.from({ length: n }, (_, i) => (i * 26_153) % (table.length - dim));
    const w = Float64Array.from({ length: n }, (_, i) => i / n - 0.5);
    const g = new Float32Array(dim);
    for (const [impl, b] of ctx.backends) {
      const ms = ctx.time(() => b.esWeightedSumTable(table, idx, w, g), { minRuns: 3 });
      rows.push({
        case: `es gradient sum n=${n} d=1e5`,
        impl,
        medianMs: ms,
        rate: (n * dim) / (ms / 1e3),
        rateUnit: 'mul-adds/s',
        extra: { threads: b.threads() },
      });
    }
    return rows;
  },
};
export default suite;
