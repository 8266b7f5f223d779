// The common shape of every task distribution: sample(key, count, shots, queries) returns a
// meta-batch of tasks as flat row-major typed arrays, task after task.
import type { Key } from '../../random/index.js';

/**
 * A meta-batch of `count` tasks. Row r of task t's support set is row `t * supportRows + r` of
 * `supportX` (width `inputDim`) and `supportY`. Regression targets are a Float32Array of width
 * `outputDim`; classification labels are an Int32Array of remapped labels in [0, ways).
 */
export interface TaskBatch {
  readonly count: number;
  readonly inputDim: number;
  /** Regression: target width. Classification: the number of classes per task (ways). */
  readonly outputDim: number;
  readonly kind: 'regression' | 'classification';
  /** Rows per task in the support set (shots for regression, ways × shots for classification). */
  readonly supportRows: number;
  /** Rows per task in the query set. */
  readonly queryRows: number;
  readonly supportX: Float32Array;
  readonly supportY: Float32Array | Int32Array;
  readonly queryX: Float32Array;
  readonly queryY: Float32Array | Int32Array;
  /**
   * Each task's generating parameters where the family has them (sine: [amplitude, phase] per
   * task), `paramsPerTask` numbers per task; empty otherwise.
   */
  readonly taskParams: Float64Array;
  readonly paramsPerTask: number;
}

/** A distribution over tasks. */
export interface TaskDistribution {
  readonly name: string;
  readonly kind: 'regression' | 'classification';
  readonly inputDim: number;
  /** Regression: target width. Classification: ways. */
  readonly outputDim: number;
  /**
   * Samples `count` tasks with `shots` support and `queries` query examples each (per class for
   * classification). The same key gives the same tasks.
   */
  sample(key: Key, count: number, shots: number, queries: number): TaskBatch;
  /** The noise-free target of a task's generating parameters at inputs x (regression families with known truth). */
  truth?(taskParams: ArrayLike<number>, x: Float32Array): Float32Array;
}
