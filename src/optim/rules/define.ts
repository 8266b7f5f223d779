// The common shell of every update rule: argument checks, the count, one kernel call.
import type { Backend } from '../../backend/index.js';
import { getBackend } from '../../backend/index.js';
import { checkStepArgs } from '../internal.js';
import type { Optimizer, OptState, StepExtra } from '../types.js';

/** Optimizers that can predict weights ahead without advancing their state (XGrad). */
export interface Predictor {
  /** Writes into `out` the weights `steps` updates ahead, from the current state. */
  predict(params: Float32Array, state: OptState, out: Float32Array, steps: number): void;
}

export function defineRule(
  name: string,
  init: (params: Float32Array) => OptState,
  apply: (b: Backend, params: Float32Array, grads: Float32Array, state: OptState, extra: StepExtra | undefined) => void,
): Optimizer {
  return {
    kind: 'optimizer',
    name,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      return init(params);
    },
    step(params, grads, state, extra) {
      checkStepArgs(name, params, grads);
      apply(getBackend(), params, grads, state, extra);
      state.count++;
      return true;
    },
  };
}
