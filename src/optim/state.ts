// Exact save and restore of optimizer state as a flat plain object of typed arrays and numbers
// ('count', 'buffers.m', 'inner.0.scalars.phase', ...). Restoring builds a fresh state with the
// optimizer's own init and fills it, so a state saved from another optimizer or other params
// fails with a clear error instead of silently mis-stepping.
import { OuterloopError } from '../errors.js';
import { checkFloat32 } from '../util/check.js';
import type { Optimizer, OptState } from './types.js';

/** A saved optimizer state: copies of every buffer and scalar, keyed by path. */
export type SavedState = Record<string, Float32Array | Float64Array | number>;

function walk(state: OptState, prefix: string, visit: (path: string, s: OptState) => void): void {
  visit(prefix, state);
  for (const [i, s] of state.inner.entries()) walk(s, `${prefix}inner.${i}.`, visit);
}

/** Copies a state into a plain object of typed arrays and numbers (safe to serialize). */
export function saveState(state: OptState): SavedState {
  if (typeof state !== 'object' || state === null || typeof state.count !== 'number' || !Array.isArray(state.inner))
    throw new TypeError('saveState: state: expected an optimizer state from init()');
  const out: SavedState = {};
  walk(state, '', (pre, s) => {
    out[`${pre}count`] = s.count;
    for (const [k, v] of Object.entries(s.buffers)) out[`${pre}buffers.${k}`] = v.slice();
    for (const [k, v] of Object.entries(s.scalars)) out[`${pre}scalars.${k}`] = v;
  });
  return out;
}

/** Restores a state saved by saveState for `opt` over parameters of the same length as `params`. */
export function restoreState(opt: Optimizer, params: Float32Array, saved: SavedState): OptState {
  if (typeof opt?.init !== 'function') throw new TypeError('restoreState: opt: expected an optim optimizer');
  checkFloat32(params, 'restoreState: params');
  if (typeof saved !== 'object' || saved === null) throw new TypeError('restoreState: saved: expected an object');
  const state = opt.init(params);
  const seen = new Set<string>();
  const take = (path: string): Float32Array | Float64Array | number => {
    if (!(path in saved)) throw new OuterloopError(`restoreState: '${path}' is missing from the saved state`);
    seen.add(path);
    return saved[path] as Float32Array | Float64Array | number;
  };
  walk(state, '', (pre, s) => {
    const count = take(`${pre}count`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
      throw new OuterloopError(`restoreState: '${pre}count' must be a non-negative integer`);
    s.count = count;
    for (const [k, buf] of Object.entries(s.buffers)) {
      const path = `${pre}buffers.${k}`;
      const v = take(path);
      if (!(v instanceof buf.constructor) || (v as Float32Array).length !== buf.length)
        throw new OuterloopError(`restoreState: '${path}' must be a ${buf.constructor.name} of length ${buf.length}`);
      buf.set(v as Float32Array);
    }
    for (const k of Object.keys(s.scalars)) {
      const path = `${pre}scalars.${k}`;
      const v = take(path);
      if (typeof v !== 'number') throw new OuterloopError(`restoreState: '${path}' must be a number`);
      s.scalars[k] = v;
    }
  });
  for (const k of Object.keys(saved))
    if (!seen.has(k)) throw new OuterloopError(`restoreState: unexpected entry '${k}' (state from another optimizer?)`);
  return state;
}
