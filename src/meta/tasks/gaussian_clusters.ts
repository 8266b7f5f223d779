// A synthetic few-shot classification family: each task draws `ways` class centres
// ~ N(0, spread² I) in `dim` dimensions, and each example is its centre plus N(0, noise² I).
// Rows are grouped by label as in classification().
import type { Key } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkNumber } from '../../util/check.js';
import { checkSampleArgs, fold, normal } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.gaussianClusters`: classification of random Gaussian clusters. */
export interface GaussianClustersOptions {
  /** Feature dimension (default 2). */
  dim?: number;
  /** Classes per task (default 5). */
  ways?: number;
  /** Standard deviation of the class centres (default 3). */
  spread?: number;
  /** Standard deviation of examples around their centre (default 1). */
  noise?: number;
}

/** Gaussian-cluster classification tasks (no downloads); taskParams are the centres, ways × dim per task. */
export function gaussianClusters(options: GaussianClustersOptions = {}): TaskDistribution {
  checkKnownKeys(options, ['dim', 'ways', 'spread', 'noise'], 'meta.tasks.gaussianClusters');
  const dim = options.dim ?? 2;
  const ways = options.ways ?? 5;
  const spread = options.spread ?? 3;
  const noise = options.noise ?? 1;
  checkInteger(dim, 'meta.tasks.gaussianClusters: dim', 1, 1 << 16);
  checkInteger(ways, 'meta.tasks.gaussianClusters: ways', 2, 1 << 16);
  checkNumber(spread, 'meta.tasks.gaussianClusters: spread');
  checkNumber(noise, 'meta.tasks.gaussianClusters: noise');
  if (spread < 0 || noise < 0) throw new RangeError('meta.tasks.gaussianClusters: spread and noise must be >= 0');

  return {
    name: 'gaussianClusters',
    kind: 'classification',
    inputDim: dim,
    outputDim: ways,
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const need = shots + queries;
      const sRows = ways * shots;
      const qRows = ways * queries;
      const centres = normal(fold(key, 0), count * ways * dim);
      const z = normal(fold(key, 1), count * ways * need * dim);
      const taskParams = new Float64Array(count * ways * dim);
      const supportX = new Float32Array(count * sRows * dim);
      const supportY = new Int32Array(count * sRows);
      const queryX = new Float32Array(count * qRows * dim);
      const queryY = new Int32Array(count * qRows);
      for (let t = 0; t < count; t++) {
        for (let l = 0; l < ways; l++) {
          const c = (t * ways + l) * dim;
          for (let j = 0; j < dim; j++) taskParams[c + j] = Math.fround(spread * (centres[c + j] as number));
          for (let r = 0; r < need; r++) {
            const inSupport = r < shots;
            const row = inSupport ? t * sRows + l * shots + r : t * qRows + l * queries + (r - shots);
            const X = inSupport ? supportX : queryX;
            for (let j = 0; j < dim; j++)
              X[row * dim + j] =
                (taskParams[c + j] as number) + noise * (z[((t * ways + l) * need + r) * dim + j] as number);
            (inSupport ? supportY : queryY)[row] = l;
          }
        }
      }
      return {
        count,
        inputDim: dim,
        outputDim: ways,
        kind: 'classification',
        supportRows: sRows,
        queryRows: qRows,
        supportX,
        supportY,
        queryX,
        queryY,
        taskParams,
        paramsPerTask: ways * dim,
      };
    },
  };
}
