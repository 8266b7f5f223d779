// Linear-regression tasks: y = w·x + b (+ noise), with w ~ N(0, weightScale² I), b ~ N(0, biasScale²)
// and x ~ U[low, high]^dim per row.
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber } from '../../util/check.js';
import { checkSampleArgs, fold, normal, uniform } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.linear`: random linear-regression tasks. */
export interface LinearOptions {
  /** Input dimension (default 1). */
  dim?: number;
  /** Standard deviation of each weight (default 1). */
  weightScale?: number;
  /** Standard deviation of the bias (default 0: no bias). */
  biasScale?: number;
  /** Input range per coordinate (default [−5, 5]). */
  x?: [number, number];
  /** Standard deviation of target noise (default 0). */
  noise?: number;
}

/** A family of linear-regression tasks; taskParams per task are [w_0 .. w_{dim−1}, b]. */
export function linear(options: LinearOptions = {}): TaskDistribution {
  checkKnownKeys(options, ['dim', 'weightScale', 'biasScale', 'x', 'noise'], 'meta.tasks.linear');
  const dim = options.dim ?? 1;
  checkInteger(dim, 'meta.tasks.linear: dim', 1, 1 << 16);
  const ws = options.weightScale ?? 1;
  const bs = options.biasScale ?? 0;
  const noise = options.noise ?? 0;
  checkNumber(ws, 'meta.tasks.linear: weightScale');
  checkNumber(bs, 'meta.tasks.linear: biasScale');
  checkNumber(noise, 'meta.tasks.linear: noise');
  if (ws < 0 || bs < 0 || noise < 0)
    throw new RangeError('meta.tasks.linear: weightScale, biasScale and noise must be >= 0');
  const xr = options.x ?? [-5, 5];
  if (!Array.isArray(xr) || xr.length !== 2 || !(xr[0] <= xr[1]))
    throw new RangeError('meta.tasks.linear: x: expected [low, high] with low <= high');
  const per = dim + 1;

  return {
    name: 'linear',
    kind: 'regression',
    inputDim: dim,
    outputDim: 1,
    truth(p: ArrayLike<number>, x: Float32Array): Float32Array {
      const n = x.length / dim;
      const y = new Float32Array(n);
      for (let r = 0; r < n; r++) {
        let s = p[dim] as number;
        for (let j = 0; j < dim; j++) s += (p[j] as number) * (x[r * dim + j] as number);
        y[r] = s;
      }
      return y;
    },
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const rows = shots + queries;
      const w = normal(fold(key, 0), count * per);
      const u = uniform(fold(key, 1), count * rows * dim);
      const z = noise > 0 ? normal(fold(key, 2), count * rows) : undefined;
      const taskParams = new Float64Array(count * per);
      const supportX = new Float32Array(count * shots * dim);
      const supportY = new Float32Array(count * shots);
      const queryX = new Float32Array(count * queries * dim);
      const queryY = new Float32Array(count * queries);
      for (let t = 0; t < count; t++) {
        for (let j = 0; j < dim; j++) taskParams[t * per + j] = Math.fround(ws * (w[t * per + j] as number));
        taskParams[t * per + dim] = Math.fround(bs * (w[t * per + dim] as number));
        for (let r = 0; r < rows; r++) {
          const inSupport = r < shots;
          const X = inSupport ? supportX : queryX;
          const row = inSupport ? t * shots + r : t * queries + r - shots;
          let y = taskParams[t * per + dim] as number;
          for (let j = 0; j < dim; j++) {
            const x = Math.fround(xr[0] + (xr[1] - xr[0]) * (u[(t * rows + r) * dim + j] as number));
            X[row * dim + j] = x;
            y += (taskParams[t * per + j] as number) * x;
          }
          if (z) y += noise * (z[t * rows + r] as number);
          (inSupport ? supportY : queryY)[row] = y;
        }
      }
      return {
        count,
        inputDim: dim,
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
