// 1-D signals for coordinate-based representations (Tancik et al., "Learned Initializations for
// Optimizing Coordinate-Based Neural Representations", 2021, on a 1-D family): each task is one
// signal y(x) = Σ_k a_k·sin(π·f_k·x + φ_k) on x ∈ [−1, 1], with K components of integer
// frequency f_k ~ U{1 … maxFrequency}, amplitude a_k ~ N(0, 1/K) and phase φ_k ~ U[0, 2π); the
// support and query sets are coordinates drawn uniformly from [−1, 1].
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys } from '../../util/check.js';
import { checkSampleArgs, fold, normal, uniform } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.signals1d`: sums of sinusoids of bounded integer frequency on [−1, 1]. */
export interface Signals1dOptions {
  /** Sinusoid components per signal (default 4). */
  components?: number;
  /** Largest frequency f (the signal has f/2 periods on [−1, 1]; default 8). */
  maxFrequency?: number;
}

/** A family of 1-D signals; taskParams per task are [a_k, f_k, φ_k] for each component k. */
export function signals1d(options: Signals1dOptions = {}): TaskDistribution {
  const fn = 'meta.tasks.signals1d';
  checkKnownKeys(options, ['components', 'maxFrequency'], fn);
  const K = options.components ?? 4;
  const F = options.maxFrequency ?? 8;
  checkInteger(K, `${fn}: components`, 1, 1024);
  checkInteger(F, `${fn}: maxFrequency`, 1, 1 << 16);
  const per = 3 * K;
  const value = (p: ArrayLike<number>, x: number): number => {
    let s = 0;
    for (let k = 0; k < K; k++)
      s += (p[3 * k] as number) * Math.sin(Math.PI * (p[3 * k + 1] as number) * x + (p[3 * k + 2] as number));
    return s;
  };
  return {
    name: 'signals1d',
    kind: 'regression',
    inputDim: 1,
    outputDim: 1,
    truth(p: ArrayLike<number>, x: Float32Array): Float32Array {
      return Float32Array.from(x, (xi) => value(p, xi));
    },
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const a = normal(fold(key, 0), count * K);
      const u = uniform(fold(key, 1), count * K * 2);
      const xs = uniform(fold(key, 2), count * (shots + queries));
      const taskParams = new Float64Array(count * per);
      const supportX = new Float32Array(count * shots);
      const supportY = new Float32Array(count * shots);
      const queryX = new Float32Array(count * queries);
      const queryY = new Float32Array(count * queries);
      for (let t = 0; t < count; t++) {
        const p = taskParams.subarray(t * per, (t + 1) * per);
        for (let k = 0; k < K; k++) {
          p[3 * k] = Math.fround((a[t * K + k] as number) / Math.sqrt(K));
          p[3 * k + 1] = 1 + Math.min(F - 1, Math.floor((u[2 * (t * K + k)] as number) * F));
          p[3 * k + 2] = Math.fround(2 * Math.PI * (u[2 * (t * K + k) + 1] as number));
        }
        for (let r = 0; r < shots + queries; r++) {
          const x = Math.fround(2 * (xs[t * (shots + queries) + r] as number) - 1);
          if (r < shots) {
            supportX[t * shots + r] = x;
            supportY[t * shots + r] = value(p, x);
          } else {
            queryX[t * queries + r - shots] = x;
            queryY[t * queries + r - shots] = value(p, x);
          }
        }
      }
      return {
        count,
        inputDim: 1,
        outputDim: 1,
        kind: 'regression',
        supportRows: shots,
        queryRows: queries,
        supportX,
        supportY,
        queryX,
        queryY,
        taskParams,
        paramsPerTask: per,
      };
    },
  };
}
