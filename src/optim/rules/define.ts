// The common shell of every update rule: its options with their range checks, the state it keeps,
// the step's learning rate, argument checks, the count, one kernel call. A rule file says only
// what is its own: its defaults, its buffers and the kernel call.
import type { Backend } from '../../backend/index.js';
import { getBackend } from '../../backend/index.js';
import {
  checkBeta,
  checkNonNegative,
  checkPositive,
  checkStepArgs,
  EMPTY,
  lrAt,
  newState,
  type OptionValue,
  parseOptions,
  stateBuffer,
} from '../internal.js';
import type { LearningRate, Optimizer, OptState, StepExtra } from '../types.js';

/** Optimizers that can predict weights ahead without advancing their state (XGrad). */
export interface Predictor {
  /** Writes into `out` the weights `steps` updates ahead, from the current state. */
  predict(params: Float32Array, state: OptState, out: Float32Array, steps: number): void;
}

/** Where a numeric option must lie: [0, 1) ('beta'), [0, 1] ('unit'), >= 0 or > 0. */
export type OptionRange = 'beta' | 'unit' | 'nonNegative' | 'positive';

// What each rule option may be, by name: a b1 is a decay rate in [0, 1) and an eps is >= 0 in
// every rule unless the rule says otherwise. Other options are only checked to be finite here.
const RANGES: Readonly<Record<string, OptionRange>> = {
  b1: 'beta',
  b2: 'beta',
  rho: 'beta',
  decay: 'beta',
  momentum: 'beta',
  dampening: 'unit',
  beta: 'unit',
  eps: 'nonNegative',
  weightDecay: 'nonNegative',
  lrDecay: 'nonNegative',
  momentumDecay: 'nonNegative',
  initialAccumulatorValue: 'nonNegative',
  switchEps: 'nonNegative',
  alpha: 'nonNegative',
  c: 'positive',
  b0: 'positive',
  lambda: 'positive',
};

function checkRange(range: OptionRange, x: number, label: string): void {
  if (range === 'beta' || range === 'unit') checkBeta(x, label, range === 'unit');
  else if (range === 'nonNegative') checkNonNegative(x, label);
  else checkPositive(x, label);
}

/**
 * A rule's settings: every option with its default filled in. Object-valued options (a layout)
 * may stay undefined.
 */
export type Settings<O> = {
  [K in keyof Required<O>]: Exclude<O[K], undefined> extends object
    ? Exclude<O[K], undefined> | undefined
    : Exclude<O[K], undefined>;
};

/**
 * The given options over the defaults: unknown keys and wrong types throw (parseOptions), and each
 * numeric option is checked against its range (RANGES, or `ranges` where this rule differs).
 */
export function ruleOptions<O extends object>(
  name: string,
  given: O | undefined,
  defaults: NoInfer<Settings<O>>,
  ranges: Readonly<Record<string, OptionRange>> = {},
): Settings<O> {
  const o = parseOptions(name, given, defaults as Record<string, OptionValue>);
  for (const [key, value] of Object.entries(o)) {
    const range = ranges[key] ?? RANGES[key];
    if (range !== undefined && key !== 'lr' && typeof value === 'number') checkRange(range, value, `${name}: ${key}`);
  }
  return o as Settings<O>;
}

/** What a rule's step sees (one object per rule, refilled each step: no allocation per step). */
export interface Step {
  readonly b: Backend;
  readonly p: Float32Array;
  readonly g: Float32Array;
  /** The learning rate of this step (a schedule evaluated at the count). */
  readonly lr: number;
  /** The step's number, 1 for the first (bias corrections use it). */
  readonly t: number;
  readonly state: OptState;
  readonly extra: StepExtra | undefined;
}

/** A rule: its name, learning rate, state and step. */
export interface RuleSpec<B extends string> {
  readonly name: string;
  readonly lr: LearningRate;
  /**
   * The state's Float32Array buffers of the parameters' length, each with its initial value; null
   * marks a buffer this configuration does not keep (the step gets an empty array for it).
   */
  readonly buffers: Readonly<Record<B, number | null>>;
  /** The state's scalars with their initial values. */
  readonly scalars?: Readonly<Record<string, number>>;
  /** Completes a new state: buffers of other shapes or starting values, checked by the step itself. */
  readonly init?: (state: OptState, params: Float32Array) => void;
  /** One update: the state's buffers come checked against the parameters. */
  readonly step: (s: Step, buffers: Readonly<Record<B, Float32Array>>) => void;
}

/** The optimizer a rule describes. */
export function defineRule<B extends string>(spec: RuleSpec<B>): Optimizer {
  const { name } = spec;
  const kept = (Object.keys(spec.buffers) as B[]).filter((k) => spec.buffers[k] !== null);
  const buffers = {} as Record<B, Float32Array>;
  for (const k of Object.keys(spec.buffers) as B[]) buffers[k] = EMPTY;
  let s: { -readonly [K in keyof Step]: Step[K] } | undefined;
  const lrLabel = `${name}: lr`;
  return {
    kind: 'optimizer',
    name,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      const made: Record<string, Float32Array> = {};
      for (const k of kept) made[k] = new Float32Array(params.length).fill(spec.buffers[k] as number);
      const state = newState(made, { ...spec.scalars });
      spec.init?.(state, params);
      return state;
    },
    step(params, grads, state, extra) {
      checkStepArgs(name, params, grads);
      for (const k of kept) buffers[k] = stateBuffer(name, state, k, params.length);
      const lr = lrAt(spec.lr, state.count, lrLabel);
      s ??= { b: getBackend(), p: params, g: grads, lr, t: 0, state, extra };
      s.b = getBackend();
      s.p = params;
      s.g = grads;
      s.lr = lr;
      s.t = state.count + 1;
      s.state = state;
      s.extra = extra;
      spec.step(s, buffers);
      state.count++;
      return true;
    },
  };
}
