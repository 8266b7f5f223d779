// Argument checks of the js meta kernels: the checks of native/napi/meta.cc, in its order (the
// scalars first). Not re-exported by index.ts: these are not kernels.
import type { MetaAdaptScalars, MetaGradScalars } from '../../kernels/meta.js';
import { mlpParamCount } from '../../kernels/nn.js';
import type { TaskSet } from './task_view.js';

const MAX_STEPS = 1 << 16;
const LOSSES = ['mse', 'crossEntropy'];
const MODES = ['secondOrder', 'firstOrder', 'reptile', 'implicit'];

function int(x: unknown, name: string, min: number, max: number): number {
  if (typeof x !== 'number') throw new TypeError(`${name}: expected a number`);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new RangeError(`${name}: expected an integer in [${min}, ${max}], got ${x}`);
  return x;
}
function oneOf(x: unknown, name: string, names: string[]): void {
  const what = `${name}: expected one of ${names.map((n) => `'${n}'`).join(', ')}`;
  if (typeof x !== 'string') throw new TypeError(what);
  if (!names.includes(x)) throw new RangeError(`${what}, got '${x}'`);
}
/** A Float32Array (of `length` when given). */
export function f32(x: unknown, name: string, length?: number): Float32Array {
  if (!(x instanceof Float32Array)) throw new TypeError(`${name}: expected a Float32Array`);
  if (length !== undefined && x.length !== length)
    throw new RangeError(`${name}: expected length ${length}, got ${x.length}`);
  return x;
}

/** An output that may be null, else a Float32Array of `length`. */
export function optF32(x: unknown, name: string, length: number): Float32Array | null {
  return x === null || x === undefined ? null : f32(x, name, length);
}

/** The scalars both kernels share, with the model they describe; returns the parameter count. */
export function checkScalars(sizes: Int32Array, s: MetaAdaptScalars, minSteps: number): number {
  if (typeof s !== 'object' || s === null) throw new TypeError('scalars: expected an object of named numbers');
  int(s.hidden, 'scalars.hidden', 0, 6);
  int(s.output, 'scalars.output', 0, 6);
  if (!(sizes instanceof Int32Array)) throw new TypeError('sizes: expected a Int32Array');
  if (sizes.length < 2) throw new RangeError(`sizes: expected at least 2 widths, got ${sizes.length}`);
  for (let l = 0; l < sizes.length; l++) int(sizes[l], `sizes[${l}]`, 1, 1 << 20);
  oneOf(s.loss, 'scalars.loss', LOSSES);
  int(s.steps, 'scalars.steps', minSteps, MAX_STEPS);
  if (typeof s.lambda !== 'number') throw new TypeError('scalars.lambda: expected a number');
  if (!Number.isFinite(s.lambda)) throw new RangeError('scalars.lambda: expected a finite number');
  if (s.lambda < 0) throw new RangeError('scalars.lambda: expected >= 0');
  return mlpParamCount(sizes);
}

/** metaGradBatch's own scalars: the mode, its lambda, cgSteps. */
export function checkMode(s: MetaGradScalars): void {
  oneOf(s.mode, 'scalars.mode', MODES);
  if (s.mode !== 'implicit' && s.lambda !== 0)
    throw new RangeError("scalars.lambda: only mode 'implicit' takes a proximal term");
  if (s.mode === 'implicit' && !(s.lambda > 0))
    throw new RangeError("scalars.lambda: mode 'implicit' needs lambda > 0");
  int(s.cgSteps, 'scalars.cgSteps', 0, MAX_STEPS);
}

/** The row counts (in ts), params, lr and the task buffers. */
export function checkTasks(
  sizes: Int32Array,
  P: number,
  s: MetaAdaptScalars,
  params: Float32Array,
  lr: Float32Array,
  ts: TaskSet,
): void {
  int(ts.tasks, 'scalars.tasks', 1, 1 << 24);
  int(ts.supportRows, 'scalars.supportRows', 1, 2 ** 32 - 1);
  int(ts.queryRows, 'scalars.queryRows', 0, 2 ** 32 - 1);
  f32(params, 'params', P);
  f32(lr, 'lr');
  if (lr.length !== 1 && lr.length !== P) throw new RangeError(`lr: expected length 1 or ${P}, got ${lr.length}`);
  for (let i = 0; i < lr.length; i++)
    if (!Number.isFinite(lr[i])) throw new RangeError(`lr[${i}]: expected a finite number`);
  const inDim = sizes[0] as number;
  const out = sizes[sizes.length - 1] as number;
  if (s.loss === 'crossEntropy' && (out < 2 || out > 1024))
    throw new RangeError(`sizes: cross-entropy needs 2 to 1024 outputs, got ${out}`);
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
  if (s.loss === 'mse') {
    f32(ts.supportY, 'supportY', T * ts.supportRows * out);
    if (ts.queryRows) f32(ts.queryY, 'queryY', T * ts.queryRows * out);
  } else {
    labels(ts.supportY, 'supportY', T * ts.supportRows);
    if (ts.queryRows) labels(ts.queryY, 'queryY', T * ts.queryRows);
  }
}
