// N-way K-shot classification from any labelled array data: each task picks `ways` distinct
// classes, relabels them 0..ways−1 in random order, and draws `shots` support and `queries` query
// examples per class without replacement (support and query are disjoint). Rows are grouped by
// new label: rows [l·shots, (l+1)·shots) of a task's support set carry label l.
import type { Key } from '../../random/index.js';
import { checkFloat32, checkInt32, checkInteger, checkKnownKeys } from '../../util/check.js';
import { bits, checkSampleArgs, chooseDistinct, fold } from './sampling.js';
import type { TaskBatch, TaskDistribution } from './types.js';

/** Options of `meta.tasks.classification`: N-way K-shot tasks drawn from a labelled dataset. */
export interface ClassificationOptions {
  /** Features, row-major [examples × inputDim]. */
  x: Float32Array;
  /** Class of each example (any non-negative integers). */
  labels: Int32Array;
  /** Feature width. */
  inputDim: number;
  /** Classes per task (N of N-way). */
  ways: number;
  /** Restrict tasks to these original classes (e.g. the meta-training split); default all. */
  classes?: number[];
}

/** N-way K-shot tasks over a labelled dataset; `shots` and `queries` are per class. */
export function classification(options: ClassificationOptions): TaskDistribution {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('meta.tasks.classification: expected an options object');
  checkKnownKeys(options, ['x', 'labels', 'inputDim', 'ways', 'classes'], 'meta.tasks.classification');
  const { x, labels, inputDim, ways } = options;
  checkInteger(inputDim, 'meta.tasks.classification: inputDim', 1, 1 << 24);
  checkInt32(labels, 'meta.tasks.classification: labels');
  checkFloat32(x, 'meta.tasks.classification: x', labels.length * inputDim);
  checkInteger(ways, 'meta.tasks.classification: ways', 2, 1 << 20);

  // Examples of each class, in dataset order.
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    if (c < 0) throw new RangeError(`meta.tasks.classification: labels[${i}]: expected a non-negative class, got ${c}`);
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  }
  let classIds = [...byClass.keys()].sort((a, b) => a - b);
  if (options.classes !== undefined) {
    if (!Array.isArray(options.classes))
      throw new TypeError('meta.tasks.classification: classes: expected an array of class ids');
    for (const c of options.classes)
      if (!byClass.has(c)) throw new RangeError(`meta.tasks.classification: classes: class ${c} has no examples`);
    classIds = [...new Set(options.classes)].sort((a, b) => a - b);
  }
  if (classIds.length < ways)
    throw new RangeError(`meta.tasks.classification: ways = ${ways} but the data has only ${classIds.length} classes`);
  const members = classIds.map((c) => Int32Array.from(byClass.get(c) as number[]));
  const smallest = members.reduce((m, a, i) => (a.length < (members[m] as Int32Array).length ? i : m), 0);
  const maxClassSize = members.reduce((m, a) => Math.max(m, a.length), 0);

  return {
    name: 'classification',
    kind: 'classification',
    inputDim,
    outputDim: ways,
    sample(key: Key, count: number, shots: number, queries: number): TaskBatch {
      checkSampleArgs(count, shots, queries);
      const need = shots + queries;
      const small = members[smallest] as Int32Array;
      if (need > small.length)
        throw new RangeError(
          `meta.tasks.classification: shots + queries = ${need} per class, but class ${classIds[smallest]} has only ${small.length} examples`,
        );
      const sRows = ways * shots;
      const qRows = ways * queries;
      const supportX = new Float32Array(count * sRows * inputDim);
      const supportY = new Int32Array(count * sRows);
      const queryX = new Float32Array(count * qRows * inputDim);
      const queryY = new Int32Array(count * qRows);
      const taskParams = new Float64Array(count * ways);
      const scratch = new Int32Array(Math.max(classIds.length, maxClassSize));
      const chosen = new Int32Array(ways);
      const picks = new Int32Array(need);
      for (let t = 0; t < count; t++) {
        const words = bits(fold(key, t), ways + ways * need);
        chooseDistinct(words, 0, classIds.length, ways, scratch, chosen, 0);
        for (let l = 0; l < ways; l++) {
          const ci = chosen[l] as number;
          taskParams[t * ways + l] = classIds[ci] as number;
          const pool = members[ci] as Int32Array;
          chooseDistinct(words, ways + l * need, pool.length, need, scratch, picks, 0);
          for (let r = 0; r < need; r++) {
            const src = pool[picks[r] as number] as number;
            const inSupport = r < shots;
            const row = inSupport ? t * sRows + l * shots + r : t * qRows + l * queries + (r - shots);
            (inSupport ? supportX : queryX).set(x.subarray(src * inputDim, (src + 1) * inputDim), row * inputDim);
            (inSupport ? supportY : queryY)[row] = l;
          }
        }
      }
      // taskParams: the original class behind each new label.
      return {
        count,
        inputDim,
        outputDim: ways,
        kind: 'classification',
        supportRows: sRows,
        queryRows: qRows,
        supportX,
        supportY,
        queryX,
        queryY,
        taskParams,
        paramsPerTask: ways,
      };
    },
  };
}
