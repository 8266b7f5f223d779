// Spectral decoupling (Pezeshki et al., "Gradient Starvation", NeurIPS 2021, eq. 5): the base loss
// plus (λ/2)·‖ŷ‖² on the network's outputs (logits), averaged over the batch like the
// cross-entropy it is added to — L = base(y) + (λ/2)·Σ_b ‖y_b‖² / batch. Penalizing the logits
// rather than the weights decouples the features' learning dynamics and counters starvation.
import { checkNumber } from '../util/check.js';
import type { Loss } from './types.js';

/**
 * `base` with the spectral-decoupling penalty (λ/2)·‖y‖² (mean over the batch) on the model's
 * outputs. Gradient λ·y/batch and Hessian λ/batch·I are added to the base's; a base without a
 * Hessian-vector product gives a loss without one.
 *
 * @throws TypeError/RangeError naming `lambda` when it is not a finite number ≥ 0.
 */
export function spectralDecoupling(base: Loss, lambda: number): Loss {
  const fn = 'nn.loss.spectralDecoupling';
  if (typeof base !== 'object' || base === null || typeof base.grad !== 'function')
    throw new TypeError(`${fn}: base: expected an nn.loss`);
  checkNumber(lambda, `${fn}: lambda`);
  if (!(lambda >= 0)) throw new RangeError(`${fn}: lambda: expected a number >= 0, got ${lambda}`);
  const penalty = (y: ArrayLike<number>, batch: number): number => {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (y[i] as number) ** 2;
    return (0.5 * lambda * s) / batch;
  };
  const baseHvp = base.hvp;
  return {
    name: `${base.name}+spectralDecoupling`,
    check: (outDim, batch) => base.check(outDim, batch),
    value: (y, batch) => base.value(y, batch) + penalty(y, batch),
    grad(y, batch, out) {
      const v = base.grad(y, batch, out);
      const c = lambda / batch;
      for (let i = 0; i < y.length; i++) out[i] = (out[i] as number) + c * (y[i] as number);
      return v + penalty(y, batch);
    },
    ...(baseHvp
      ? {
          hvp(y: Float32Array, batch: number, v: Float32Array, out: Float32Array) {
            baseHvp.call(base, y, batch, v, out);
            const c = lambda / batch;
            for (let i = 0; i < v.length; i++) out[i] = (out[i] as number) + c * (v[i] as number);
          },
        }
      : {}),
  };
}
