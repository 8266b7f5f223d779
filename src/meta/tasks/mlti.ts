// Meta-learning with task interpolation (MLTI, Yao et al. 2021) as a wrapper: each task is a
// mix of two tasks of the base family, x = λ·x_i + (1−λ)·x_j row by row with λ ~ Beta(α, α).
// Regression targets mix the same way. Classification rows are grouped by label in both tasks,
// so row r mixes class l of task i with class l of task j into a new class that keeps label l
// (the non-label-sharing construction).
import type { Key } from '../../random/index.js';
import { checkKnownKeys, checkRange } from '../../util/check.js';
import { beta, checkSampleArgs, fold, uniform } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.mlti`: MLTI task interpolation (mixing pairs of tasks) over a base distribution. */
export interface MltiOptions {
  /** Beta(α, α) parameter of the mixing weight (default 0.5). */
  alpha?: number;
  /** Probability that a sampled task is interpolated rather than a plain base task (default 1). */
  prob?: number;
}

function mixRows(a: Float32Array, b: Float32Array, lam: number, begin: number, end: number, out: Float32Array): void {
  for (let i = begin; i < end; i++) out[i] = lam * (a[i] as number) + (1 - lam) * (b[i] as number);
}

/** Wraps a task distribution so its tasks are interpolations of pairs of base tasks. taskParams hold λ per task. */
export function mlti(base: TaskDistribution, options: MltiOptions = {}): TaskDistribution {
  if (typeof base !== 'object' || base === null || typeof base.sample !== 'function')
    throw new TypeError('meta.tasks.mlti: base: expected a task distribution');
  checkKnownKeys(options, ['alpha', 'prob'], 'meta.tasks.mlti');
  const alpha = options.alpha ?? 0.5;
  const prob = options.prob ?? 1;
  checkRange(alpha, 'meta.tasks.mlti: alpha', 1e-3, 1e3);
  checkRange(prob, 'meta.tasks.mlti: prob', 0, 1);

  return {
    name: `mlti(${base.name})`,
    kind: base.kind,
    inputDim: base.inputDim,
    outputDim: base.outputDim,
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const a = base.sample(fold(key, 0), count, shots, queries);
      const b = base.sample(fold(key, 1), count, shots, queries);
      const coin = uniform(fold(key, 2), count);
      const dx = a.inputDim;
      const supportX = new Float32Array(a.supportX.length);
      const queryX = new Float32Array(a.queryX.length);
      const regression = a.kind === 'regression';
      const supportY = regression ? new Float32Array(a.supportY.length) : Int32Array.from(a.supportY);
      const queryY = regression ? new Float32Array(a.queryY.length) : Int32Array.from(a.queryY);
      const dy = regression ? a.outputDim : 0;
      const taskParams = new Float64Array(count);
      for (let t = 0; t < count; t++) {
        const lam = (coin[t] as number) < prob ? beta(fold(fold(key, 3), t), alpha, alpha) : 1;
        taskParams[t] = lam;
        mixRows(a.supportX, b.supportX, lam, t * a.supportRows * dx, (t + 1) * a.supportRows * dx, supportX);
        mixRows(a.queryX, b.queryX, lam, t * a.queryRows * dx, (t + 1) * a.queryRows * dx, queryX);
        if (regression) {
          mixRows(
            a.supportY as Float32Array,
            b.supportY as Float32Array,
            lam,
            t * a.supportRows * dy,
            (t + 1) * a.supportRows * dy,
            supportY as Float32Array,
          );
          mixRows(
            a.queryY as Float32Array,
            b.queryY as Float32Array,
            lam,
            t * a.queryRows * dy,
            (t + 1) * a.queryRows * dy,
            queryY as Float32Array,
          );
        }
      }
      return { ...a, supportX, supportY, queryX, queryY, taskParams, paramsPerTask: 1 };
    },
  };
}
