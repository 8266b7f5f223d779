// js twins of the meta kernels (native/core/meta), gathered here. They run over any backend's nn
// kernels: the js backend passes its own; a native backend whose addon lacks the meta kernels
// can pass its native nn kernels (one native call per task per pass).
import type { MetaKernels } from '../../kernels/meta.js';
import { mlpParamCount, type NnKernels } from '../../kernels/nn.js';
import { jsNnKernels } from '../nn/index.js';
import { metaAdaptEvaluate } from './adapt.js';
import { metaGradBatch } from './grad.js';
import type { TaskSet } from './taskView.js';

const MAX_STEPS = 1 << 16;

function int(x: unknown, name: string, min: number, max: number): number {
  if (typeof x !== 'number') throw new TypeError(`${name}: expected an integer`);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${x}`);
  return x;
}
function f32(x: unknown, name: string, length?: number): Float32Array {
  if (!(x instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array`);
  if (length !== undefined && x.length !== length)
    throw new RangeError(`${name}: expected length ${length}, got ${x.length}`);
  return x;
}
function optF32(x: unknown, name: string, length: number): Float32Array | null {
  return x === null || x === undefined ? null : f32(x, name, length);
}

// The same checks as native/napi/meta.cc, in the same order.
function checkCommon(
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  lr: Float32Array,
  loss: number,
  steps: number,
  lambda: number,
  minSteps: number,
): number {
  if (!(sizes instanceof Int32Array)) throw new TypeError('sizes: expected a Int32Array');
  if (sizes.length < 2) throw new RangeError(`sizes: expected at least 2 widths, got ${sizes.length}`);
  for (let l = 0; l < sizes.length; l++) int(sizes[l], `sizes[${l}]`, 1, 1 << 20);
  int(hidden, 'hidden', 0, 6);
  int(output, 'output', 0, 6);
  const P = mlpParamCount(sizes);
  f32(params, 'params', P);
  f32(lr, 'lr');
  if (lr.length !== 1 && lr.length !== P) throw new RangeError(`lr: expected length 1 or ${P}, got ${lr.length}`);
  for (let i = 0; i < lr.length; i++)
    if (!Number.isFinite(lr[i])) throw new RangeError(`lr[${i}]: expected a finite number`);
  int(loss, 'loss', 0, 1);
  const out = sizes[sizes.length - 1] as number;
  if (loss === 1 && (out < 2 || out > 1024))
    throw new RangeError(`sizes: cross-entropy needs 2 to 1024 outputs, got ${out}`);
  int(steps, 'steps', minSteps, MAX_STEPS);
  if (typeof lambda !== 'number') throw new TypeError('lambda: expected a number');
  if (!Number.isFinite(lambda)) throw new RangeError('lambda: expected a finite number');
  if (lambda < 0) throw new RangeError('lambda: expected >= 0');
  return P;
}

function checkTasks(sizes: Int32Array, loss: number, ts: TaskSet): void {
  int(ts.tasks, 'tasks', 1, 1 << 24);
  int(ts.supportRows, 'supportRows', 1, 2 ** 32 - 1);
  int(ts.queryRows, 'queryRows', 0, 2 ** 32 - 1);
  const inDim = sizes[0] as number;
  const out = sizes[sizes.length - 1] as number;
  const T = ts.tasks;
  f32(ts.supportX, 'supportX', T * ts.supportRows * inDim);
  if (ts.queryRows) f32(ts.queryX, 'queryX', T * ts.queryRows * inDim);
  const labels = (y: unknown, name: string, n: number) => {
    if (!(y instanceof Int32Array)) throw new TypeError(`${name}: expected a Int32Array`);
    if (y.length !== n) throw new RangeError(`${name}: expected length ${n}, got ${y.length}`);
    for (let i = 0; i < n; i++)
      if ((y[i] as number) < 0 || (y[i] as number) >= out)
        throw new RangeError(`${name}[${i}]: expected a label in [0, ${out}), got ${y[i]}`);
  };
  if (loss === 0) {
    f32(ts.supportY, 'supportY', T * ts.supportRows * out);
    if (ts.queryRows) f32(ts.queryY, 'queryY', T * ts.queryRows * out);
  } else {
    labels(ts.supportY, 'supportY', T * ts.supportRows);
    if (ts.queryRows) labels(ts.queryY, 'queryY', T * ts.queryRows);
  }
}

/** The meta kernels over the given nn kernels. */
export function createMetaKernels(nn: NnKernels): MetaKernels {
  return {
    metaGradBatch(
      sizes,
      hidden,
      output,
      params,
      lr,
      loss,
      steps,
      lambda,
      mode,
      cgSteps,
      tasks,
      supportRows,
      queryRows,
      supportX,
      supportY,
      queryX,
      queryY,
      grad,
      lrGrad,
      lossPre,
      lossPost,
    ) {
      const P = checkCommon(sizes, hidden, output, params, lr, loss, steps, lambda, 1);
      int(mode, 'mode', 0, 3);
      if (mode !== 3 && lambda !== 0) throw new RangeError('lambda: only the implicit mode (3) takes a proximal term');
      if (mode === 3 && !(lambda > 0)) throw new RangeError('lambda: the implicit mode needs lambda > 0');
      int(cgSteps, 'cgSteps', 0, MAX_STEPS);
      const ts: TaskSet = { tasks, supportRows, queryRows, supportX, supportY, queryX, queryY };
      checkTasks(sizes, loss, ts);
      if (queryRows === 0 && mode !== 2)
        throw new RangeError("queryRows: expected >= 1 (the meta-gradient is the query loss's)");
      f32(grad, 'grad', P);
      const lg = optF32(lrGrad, 'lrGrad', lr.length);
      const pre = optF32(lossPre, 'lossPre', tasks);
      const post = optF32(lossPost, 'lossPost', tasks);
      metaGradBatch(
        nn,
        sizes,
        hidden,
        output,
        params,
        lr,
        loss,
        steps,
        Math.fround(lambda),
        mode,
        cgSteps,
        ts,
        grad,
        lg,
        pre,
        post,
      );
    },
    metaAdaptEvaluate(
      sizes,
      hidden,
      output,
      params,
      lr,
      loss,
      steps,
      lambda,
      tasks,
      supportRows,
      queryRows,
      supportX,
      supportY,
      queryX,
      queryY,
      losses,
      adapted,
    ) {
      const P = checkCommon(sizes, hidden, output, params, lr, loss, steps, lambda, 0);
      const ts: TaskSet = { tasks, supportRows, queryRows, supportX, supportY, queryX, queryY };
      checkTasks(sizes, loss, ts);
      const ls = optF32(losses, 'losses', tasks * (steps + 1));
      if (ls && queryRows === 0) throw new RangeError('losses: needs queryRows >= 1');
      const ad = optF32(adapted, 'adapted', tasks * P);
      metaAdaptEvaluate(nn, sizes, hidden, output, params, lr, loss, steps, Math.fround(lambda), ts, ls, ad);
    },
  };
}

export const jsMetaKernels: MetaKernels = createMetaKernels(jsNnKernels);
