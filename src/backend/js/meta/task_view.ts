// Twin of native/core/meta/task_view.{h,cc}: one task's rows (as views), the inner SGD step and
// vector helpers.
import type { MetaLossKind } from '../../kernels/meta.js';
import type { Targets } from './loss.js';

export interface TaskView {
  sx: Float32Array;
  st: Targets;
  sRows: number;
  qx: Float32Array;
  qt: Targets;
  qRows: number;
}

export interface TaskSet {
  tasks: number;
  supportRows: number;
  queryRows: number;
  supportX: Float32Array;
  supportY: Float32Array | Int32Array;
  queryX: Float32Array;
  queryY: Float32Array | Int32Array;
}

function targets(y: Float32Array | Int32Array, loss: MetaLossKind, begin: number, end: number): Targets {
  return loss === 'mse'
    ? { values: (y as Float32Array).subarray(begin, end), labels: null }
    : { values: null, labels: (y as Int32Array).subarray(begin, end) };
}

export function taskView(inDim: number, outDim: number, loss: MetaLossKind, ts: TaskSet, t: number): TaskView {
  const S = ts.supportRows;
  const Q = ts.queryRows;
  const w = loss === 'mse' ? outDim : 1;
  return {
    sx: ts.supportX.subarray(t * S * inDim, (t + 1) * S * inDim),
    st: targets(ts.supportY, loss, t * S * w, (t + 1) * S * w),
    sRows: S,
    qx: ts.queryX.subarray(t * Q * inDim, (t + 1) * Q * inDim),
    qt: targets(ts.queryY, loss, t * Q * w, (t + 1) * Q * w),
    qRows: Q,
  };
}

/** next = cur − lr·(g + λ·(cur − anchor)), lr per parameter or one for all. */
export function innerStep(
  lr: Float32Array,
  lambda: number,
  cur: Float32Array,
  g: Float32Array,
  anchor: Float32Array,
  next: Float32Array,
): void {
  const n = cur.length;
  if (lambda === 0) {
    if (lr.length === 1) {
      const a = lr[0] as number;
      for (let i = 0; i < n; i++) next[i] = (cur[i] as number) - a * (g[i] as number);
    } else {
      for (let i = 0; i < n; i++) next[i] = (cur[i] as number) - (lr[i] as number) * (g[i] as number);
    }
    return;
  }
  const one = lr.length === 1;
  for (let i = 0; i < n; i++) {
    const a = (one ? lr[0] : lr[i]) as number;
    next[i] =
      (cur[i] as number) -
      a * Math.fround((g[i] as number) + Math.fround(lambda * Math.fround((cur[i] as number) - (anchor[i] as number))));
  }
}

/** y += a·x. */
export function addScaled(a: number, x: Float32Array, xOff: number, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = (y[i] as number) + a * (x[xOff + i] as number);
}

/** Σ x·y in double. */
export function dotProduct(x: Float32Array, y: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}
