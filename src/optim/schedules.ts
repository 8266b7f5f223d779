/**
 * Learning-rate schedules with optax's meanings; each maps `count` (updates already applied,
 * 0 on the first update) to a step size.
 *
 * @module
 */
import { checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import type { Schedule } from './types.js';

function opts(fn: string, o: unknown, known: string[]): Record<string, unknown> {
  if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: expected an options object`);
  checkKnownKeys(o, known, fn);
  return o as Record<string, unknown>;
}
function num(fn: string, o: Record<string, unknown>, k: string, d?: number): number {
  const v = o[k] ?? d;
  if (v === undefined) throw new TypeError(`${fn}: ${k} is required`);
  checkNumber(v, `${fn}: ${k}`);
  return v;
}
function int(fn: string, o: Record<string, unknown>, k: string, d?: number, min = 0): number {
  const v = o[k] ?? d;
  if (v === undefined) throw new TypeError(`${fn}: ${k} is required`);
  checkInteger(v, `${fn}: ${k}`, min);
  return v;
}

/** optax.constant_schedule. */
export function constant(value: number): Schedule {
  checkNumber(value, 'schedules.constant: value');
  return () => value;
}

/** optax.linear_schedule: init → end over `steps` updates, starting after `begin`. */
export function linear(o: { init: number; end: number; steps: number; begin?: number }): Schedule {
  const fn = 'schedules.linear';
  const r = opts(fn, o, ['init', 'end', 'steps', 'begin']);
  const init = num(fn, r, 'init');
  const end = num(fn, r, 'end');
  const steps = int(fn, r, 'steps', undefined, 1);
  const begin = int(fn, r, 'begin', 0);
  return (count) => {
    const frac = Math.min(Math.max(count - begin, 0), steps) / steps;
    return init + frac * (end - init);
  };
}

/** optax.cosine_decay_schedule: init·((1−alpha)·½(1+cos(π·min(t,T)/T))^exponent + alpha). */
export function cosine(o: { init: number; steps: number; alpha?: number; exponent?: number }): Schedule {
  const fn = 'schedules.cosine';
  const r = opts(fn, o, ['init', 'steps', 'alpha', 'exponent']);
  const init = num(fn, r, 'init');
  const steps = int(fn, r, 'steps', undefined, 1);
  const alpha = num(fn, r, 'alpha', 0);
  const exponent = num(fn, r, 'exponent', 1);
  return (count) => {
    const t = Math.min(count, steps) / steps;
    const c = (0.5 * (1 + Math.cos(Math.PI * t))) ** exponent;
    return init * ((1 - alpha) * c + alpha);
  };
}

/**
 * optax.warmup_cosine_decay_schedule: linear init → peak over warmupSteps, then cosine peak → end
 * until decaySteps (which includes the warm-up).
 */
export function warmupCosine(o: {
  init?: number;
  peak: number;
  warmupSteps: number;
  decaySteps: number;
  end?: number;
  exponent?: number;
}): Schedule {
  const fn = 'schedules.warmupCosine';
  const r = opts(fn, o, ['init', 'peak', 'warmupSteps', 'decaySteps', 'end', 'exponent']);
  const init = num(fn, r, 'init', 0);
  const peak = num(fn, r, 'peak');
  const warm = int(fn, r, 'warmupSteps', undefined, 0);
  const decay = int(fn, r, 'decaySteps', undefined, 1);
  const end = num(fn, r, 'end', 0);
  const exponent = num(fn, r, 'exponent', 1);
  if (decay <= warm) throw new RangeError(`${fn}: decaySteps (${decay}) must exceed warmupSteps (${warm})`);
  return (count) => {
    if (count < warm) return init + ((peak - init) * count) / warm;
    const t = Math.min(count - warm, decay - warm) / (decay - warm);
    const c = (0.5 * (1 + Math.cos(Math.PI * t))) ** exponent;
    return end + (peak - end) * c;
  };
}

/** optax.exponential_decay: init·rate^((count − begin)/steps) (floored when staircase), bounded by end. */
export function exponential(o: {
  init: number;
  steps: number;
  rate: number;
  begin?: number;
  staircase?: boolean;
  end?: number;
}): Schedule {
  const fn = 'schedules.exponential';
  const r = opts(fn, o, ['init', 'steps', 'rate', 'begin', 'staircase', 'end']);
  const init = num(fn, r, 'init');
  const steps = int(fn, r, 'steps', undefined, 1);
  const rate = num(fn, r, 'rate');
  const begin = int(fn, r, 'begin', 0);
  const staircase = r.staircase ?? false;
  if (typeof staircase !== 'boolean') throw new TypeError(`${fn}: staircase: expected a boolean`);
  const end = r.end === undefined ? undefined : num(fn, r, 'end');
  return (count) => {
    let p = Math.max(count - begin, 0) / steps;
    if (staircase) p = Math.floor(p);
    const v = init * rate ** p;
    if (end === undefined) return v;
    return rate < 1 ? Math.max(v, end) : Math.min(v, end);
  };
}

/** optax.piecewise_constant_schedule: init, multiplied by scales[b] once count reaches boundary b. */
export function piecewise(o: { init: number; boundaries: Record<number, number> }): Schedule {
  const fn = 'schedules.piecewise';
  const r = opts(fn, o, ['init', 'boundaries']);
  const init = num(fn, r, 'init');
  if (typeof r.boundaries !== 'object' || r.boundaries === null)
    throw new TypeError(`${fn}: boundaries: expected an object {step: scale}`);
  const pairs = Object.entries(r.boundaries as Record<string, unknown>).map(([k, v]) => {
    const b = Number(k);
    checkInteger(b, `${fn}: boundary '${k}'`);
    checkNumber(v, `${fn}: scale at ${k}`);
    return [b, v] as [number, number];
  });
  pairs.sort((a, b) => a[0] - b[0]);
  return (count) => {
    let v = init;
    for (const [b, s] of pairs) if (count >= b) v *= s;
    return v;
  };
}
