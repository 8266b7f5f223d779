// Linear-regression tasks with a controllable task landscape (Collins, Mokhtari & Shakkottai,
// "How Does the Task Landscape Affect MAML Performance?", 2020): a mixture of easy and hard tasks,
// where hardness is the rate gradient descent converges on the task — the curvature of its loss,
// here the variance of its inputs x ~ N(0, curvature·I) — and each group's optimal solutions are
// drawn around their own center: w* = center·e₁ + radius·N(0, I). MAML gains most over plain
// (non-adaptive) training when hard tasks' solutions are closely packed far from the easy ones'.
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber, checkRange } from '../../util/check.js';
import { checkSampleArgs, fold, normal, uniform } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.linearLandscape`: the easy/hard mixture of linear-regression tasks. */
export interface LinearLandscapeOptions {
  /** Input dimension (default 10). */
  dim?: number;
  /** Probability a task is hard (default 0.5). */
  hardFraction?: number;
  /** Input variance of hard tasks — their loss curvature (default 0.1). */
  hardCurvature?: number;
  /** Input variance of easy tasks (default 1). */
  easyCurvature?: number;
  /** Center of hard tasks' solutions along e₁ (default 2). */
  hardCenter?: number;
  /** Center of easy tasks' solutions along e₁ (default 0). */
  easyCenter?: number;
  /** Spread (standard deviation per coordinate) of hard tasks' solutions (default 0.1). */
  hardRadius?: number;
  /** Spread of easy tasks' solutions (default 1). */
  easyRadius?: number;
  /** Standard deviation of target noise (default 0). */
  noise?: number;
}

const KEYS = [
  'dim',
  'hardFraction',
  'hardCurvature',
  'easyCurvature',
  'hardCenter',
  'easyCenter',
  'hardRadius',
  'easyRadius',
  'noise',
] as const;

/**
 * The easy/hard mixture of linear-regression tasks y = w*·x (+ noise). taskParams per task are
 * [w*_0 … w*_{dim−1}, hard (1 or 0), curvature].
 *
 * @throws TypeError/RangeError naming the option for a bad value.
 */
export function linearLandscape(options: LinearLandscapeOptions = {}): TaskDistribution {
  const fn = 'meta.tasks.linearLandscape';
  checkKnownKeys(options, KEYS, fn);
  const dim = options.dim ?? 10;
  checkInteger(dim, `${fn}: dim`, 1, 1 << 16);
  const pHard = options.hardFraction ?? 0.5;
  checkRange(pHard, `${fn}: hardFraction`, 0, 1);
  const curv = [options.easyCurvature ?? 1, options.hardCurvature ?? 0.1];
  const center = [options.easyCenter ?? 0, options.hardCenter ?? 2];
  const radius = [options.easyRadius ?? 1, options.hardRadius ?? 0.1];
  const noise = options.noise ?? 0;
  for (const [v, name] of [
    [curv[0], 'easyCurvature'],
    [curv[1], 'hardCurvature'],
  ] as const)
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      throw new RangeError(`${fn}: ${name}: expected a finite number > 0, got ${String(v)}`);
  checkNumber(center[0], `${fn}: easyCenter`);
  checkNumber(center[1], `${fn}: hardCenter`);
  checkRange(radius[0] as number, `${fn}: easyRadius`, 0, Number.MAX_VALUE);
  checkRange(radius[1] as number, `${fn}: hardRadius`, 0, Number.MAX_VALUE);
  checkRange(noise, `${fn}: noise`, 0, Number.MAX_VALUE);
  const per = dim + 2;

  return {
    name: 'linearLandscape',
    kind: 'regression',
    inputDim: dim,
    outputDim: 1,
    truth(p: ArrayLike<number>, x: Float32Array): Float32Array {
      const n = x.length / dim;
      const y = new Float32Array(n);
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (p[j] as number) * (x[r * dim + j] as number);
        y[r] = s;
      }
      return y;
    },
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const rows = shots + queries;
      const coin = uniform(fold(key, 0), count);
      const w = normal(fold(key, 1), count * dim);
      const xs = normal(fold(key, 2), count * rows * dim);
      const z = noise > 0 ? normal(fold(key, 3), count * rows) : undefined;
      const taskParams = new Float64Array(count * per);
      const supportX = new Float32Array(count * shots * dim);
      const supportY = new Float32Array(count * shots);
      const queryX = new Float32Array(count * queries * dim);
      const queryY = new Float32Array(count * queries);
      for (let t = 0; t < count; t++) {
        const g = (coin[t] as number) < pHard ? 1 : 0;
        const sd = Math.sqrt(curv[g] as number);
        const tp = t * per;
        for (let j = 0; j < dim; j++)
          taskParams[tp + j] = Math.fround(
            (j === 0 ? (center[g] as number) : 0) + (radius[g] as number) * (w[t * dim + j] as number),
          );
        taskParams[tp + dim] = g;
        taskParams[tp + dim + 1] = curv[g] as number;
        for (let r = 0; r < rows; r++) {
          const inSupport = r < shots;
          const X = inSupport ? supportX : queryX;
          const row = inSupport ? t * shots + r : t * queries + r - shots;
          let y = 0;
          for (let j = 0; j < dim; j++) {
            const x = Math.fround(sd * (xs[(t * rows + r) * dim + j] as number));
            X[row * dim + j] = x;
            y += (taskParams[tp + j] as number) * x;
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
