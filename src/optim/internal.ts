// Shared helpers of the optim module: option parsing with clear errors, learning-rate
// resolution, state construction and state checks.
import { checkFloat32, checkKnownKeys, checkNumber } from '../util/check.js';
import type { LayoutSegment, LearningRate, Optimizer, OptState, ParamLayout, StepExtra } from './types.js';

export type OptionValue = number | boolean | string | LearningRate | ParamLayout | undefined | object;

/**
 * Merges user options over defaults: unknown keys → TypeError, a number where a number is
 * expected (finite), a boolean where a boolean is, lr a non-negative number or a function.
 */
export function parseOptions<T extends Record<string, OptionValue>>(fn: string, given: unknown, defaults: T): T {
  if (given === undefined) return { ...defaults };
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new TypeError(`${fn}: expected an options object, got ${given === null ? 'null' : typeof given}`);
  checkKnownKeys(given, Object.keys(defaults), fn);
  const out: Record<string, OptionValue> = { ...defaults };
  for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
    if (v === undefined) continue;
    const d = defaults[k];
    const label = `${fn}: ${k}`;
    if (k === 'lr') checkLearningRate(v, label);
    else if (typeof d === 'number') checkNumber(v, label);
    else if (typeof d === 'boolean') {
      if (typeof v !== 'boolean') throw new TypeError(`${label}: expected a boolean, got ${typeof v}`);
    } else if (typeof d === 'string') {
      if (typeof v !== 'string') throw new TypeError(`${label}: expected a string, got ${typeof v}`);
    }
    out[k] = v as OptionValue;
  }
  return out as T;
}

/** Throws unless `given` is undefined or an options object (checked before spreading it over defaults). */
export function checkOptionsObject(fn: string, given: unknown): void {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    throw new TypeError(`${fn}: expected an options object, got ${given === null ? 'null' : typeof given}`);
}

export function checkLearningRate(v: unknown, label: string): asserts v is LearningRate {
  if (typeof v === 'function') return;
  checkNumber(v, label);
  if (v < 0) throw new RangeError(`${label}: expected a non-negative learning rate, got ${v}`);
}

/** The learning rate for the update after `count` updates; a schedule's value is checked. */
export function lrAt(lr: LearningRate, count: number, label: string): number {
  if (typeof lr === 'number') return lr;
  const v = lr(count);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new RangeError(
      `${label}: the schedule returned ${String(v)} at count ${count}; expected a finite number >= 0`,
    );
  return v;
}

/** 0 <= x < 1 (a decay rate such as b1, b2). */
export function checkBeta(x: number, label: string, allowOne = false): void {
  if (!(x >= 0 && (allowOne ? x <= 1 : x < 1)))
    throw new RangeError(`${label}: expected a number in [0, ${allowOne ? '1]' : '1)'}, got ${x}`);
}
export function checkNonNegative(x: number, label: string): void {
  if (!(x >= 0)) throw new RangeError(`${label}: expected a number >= 0, got ${x}`);
}
export function checkPositive(x: number, label: string): void {
  if (!(x > 0)) throw new RangeError(`${label}: expected a number > 0, got ${x}`);
}

export function newState(
  buffers: Record<string, Float32Array | Float64Array> = {},
  scalars: Record<string, number> = {},
  inner: OptState[] = [],
): OptState {
  return { count: 0, buffers, scalars, inner };
}

/** The state of a composite: only the states of the optimizers or transformations it holds. */
export function innerStates(inner: OptState[]): OptState {
  return newState({}, {}, inner);
}

/**
 * An optimizer made around others (chain, masked, the wrappers): the step's arguments are checked
 * and the step counted here, before `step` runs; `step` returns whether the parameters changed.
 */
export function defineComposite(
  name: string,
  init: (params: Float32Array) => OptState,
  step: (params: Float32Array, grads: Float32Array, state: OptState, extra: StepExtra | undefined) => boolean,
): Optimizer {
  return {
    kind: 'optimizer',
    name,
    init,
    step(params, grads, state, extra) {
      checkStepArgs(name, params, grads);
      state.count++;
      return step(params, grads, state, extra);
    },
  };
}

/** Checks the params/grads pair of a step. */
export function checkStepArgs(fn: string, params: unknown, grads: unknown): asserts params is Float32Array {
  checkFloat32(params, `${fn}: params`);
  checkFloat32(grads, `${fn}: grads`, params.length);
}

function checkStateShape(fn: string, state: unknown): asserts state is OptState {
  if (typeof state !== 'object' || state === null || !('buffers' in state) || !('count' in state))
    throw new TypeError(`${fn}: state: expected an optimizer state from init()`);
}

/** The state's buffer `name`, checked to be a Float32Array of length n. */
export function stateBuffer(fn: string, state: OptState, name: string, n: number): Float32Array {
  checkStateShape(fn, state);
  const b = state.buffers[name];
  if (!(b instanceof Float32Array))
    throw new TypeError(`${fn}: state.buffers.${name}: missing (state from another optimizer?)`);
  if (b.length !== n)
    throw new RangeError(
      `${fn}: state.buffers.${name}: has length ${b.length}, params have ${n} (state from other params?)`,
    );
  return b;
}

/** The state's inner state i. */
export function innerState(fn: string, state: OptState, i: number): OptState {
  checkStateShape(fn, state);
  const s = state.inner[i];
  if (s === undefined) throw new TypeError(`${fn}: state.inner[${i}]: missing (state from another optimizer?)`);
  return s;
}

export const EMPTY = new Float32Array(0);

/** A segment's element count (size, or the product of its shape). */
export function segmentSize(s: LayoutSegment): number {
  if (s.size !== undefined) return s.size;
  if (s.shape) return s.shape.reduce((a, b) => a * b, 1);
  throw new TypeError(`layout: segment '${s.name}' has neither size nor shape`);
}

/**
 * (offset, size) pairs for a layout that tiles [0, n) in order without gaps or overlaps; no
 * layout means one segment over the whole buffer.
 */
export function segmentTable(fn: string, layout: ParamLayout | undefined, n: number): Uint32Array {
  if (layout === undefined) return new Uint32Array([0, n]);
  if (!Array.isArray(layout)) throw new TypeError(`${fn}: layout: expected an array of segments`);
  const out = new Uint32Array(layout.length * 2);
  let at = 0;
  layout.forEach((s: LayoutSegment, i: number) => {
    const size = segmentSize(s);
    if (!Number.isInteger(s.offset) || !Number.isInteger(size) || size < 0)
      throw new TypeError(`${fn}: layout[${i}]: expected integer offset and size`);
    if (s.offset !== at)
      throw new RangeError(
        `${fn}: layout[${i}] ('${s.name}'): expected offset ${at}, got ${s.offset} (segments must tile the buffer in order)`,
      );
    out[2 * i] = s.offset;
    out[2 * i + 1] = size;
    at += size;
  });
  if (at !== n) throw new RangeError(`${fn}: layout covers ${at} parameters, params have ${n}`);
  return out;
}
