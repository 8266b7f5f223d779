// Mean optimizers the strategies use when none is given. Any `optim` optimizer (init/step, in
// place, descending) can be passed instead.
import { checkNumber, checkRange } from '../util/check.js';
import type { MeanOptimizer } from './types.js';

/** Plain gradient descent: params −= lr·grads (float32 rounding per step). */
export function gradientDescent(lr: number): MeanOptimizer<null> {
  checkNumber(lr, 'lr');
  const a = Math.fround(lr);
  return {
    init: () => null,
    step(params, grads) {
      for (let i = 0; i < params.length; i++) params[i] = (params[i] as number) - Math.fround(a * (grads[i] as number));
    },
  };
}

/** Step size, momentum and speed limit of the ClipUp mean optimizer. */
export interface ClipUpOptions {
  /** Step size (the velocity added per step before clipping), default 0.15. */
  lr?: number;
  /** Momentum, default 0.9. */
  momentum?: number;
  /** Largest velocity norm, default 2·lr. */
  maxSpeed?: number;
}

/**
 * ClipUp (Toklu et al. 2020, the PGPE default in evosax): v ← m·v + lr·g/‖g‖, v clipped to norm
 * maxSpeed, params −= v. Normalising the gradient makes the step independent of fitness scale.
 */
export function clipUp(options: ClipUpOptions = {}): MeanOptimizer<{ velocity: Float64Array }> {
  const lr = options.lr ?? 0.15;
  const momentum = options.momentum ?? 0.9;
  const maxSpeed = options.maxSpeed ?? 2 * lr;
  checkRange(lr, 'clipUp: lr', 0, Number.MAX_VALUE);
  checkRange(momentum, 'clipUp: momentum', 0, 1);
  checkRange(maxSpeed, 'clipUp: maxSpeed', 0, Number.MAX_VALUE);
  return {
    init: (params) => ({ velocity: new Float64Array(params.length) }),
    step(params, grads, state) {
      const v = state.velocity;
      let g2 = 0;
      for (let i = 0; i < grads.length; i++) g2 += (grads[i] as number) * (grads[i] as number);
      const gn = Math.sqrt(g2);
      let v2 = 0;
      for (let i = 0; i < v.length; i++) {
        v[i] = momentum * (v[i] as number) + (gn > 0 ? (lr * (grads[i] as number)) / gn : 0);
        v2 += (v[i] as number) * (v[i] as number);
      }
      const vn = Math.sqrt(v2);
      const clip = vn > maxSpeed ? maxSpeed / vn : 1;
      for (let i = 0; i < v.length; i++) {
        v[i] = (v[i] as number) * clip;
        params[i] = (params[i] as number) - (v[i] as number);
      }
    },
  };
}

export function checkOptimizer(o: unknown, name: string): MeanOptimizer {
  const opt = o as MeanOptimizer;
  if (typeof opt !== 'object' || opt === null || typeof opt.init !== 'function' || typeof opt.step !== 'function')
    throw new TypeError(`${name}: optimizer: expected an object with init(params) and step(params, grads, state)`);
  return opt;
}
