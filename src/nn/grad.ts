// nn.valueAndGrad: loss value and parameter gradient of a model in one forward/backward pass.
import type { Loss, Mlp } from './types.js';

/** Value and gradient of a loss. */
export interface ValueAndGrad {
  value: number;
  grad: Float32Array;
}

/**
 * Returns (params, x, batch) ⇒ { value, grad } for loss(net(params, x)). The loss binds its own
 * targets (nn.loss.mse(y)); `grad` is a fresh array (use net.gradInto to reuse one).
 */
export function valueAndGrad(
  net: Mlp,
  loss: Loss,
): (params: Float32Array, x: Float32Array, batch: number) => ValueAndGrad {
  if (typeof net !== 'object' || net === null || typeof net.gradInto !== 'function')
    throw new TypeError('valueAndGrad: net: expected a model from nn.mlp');
  return (params, x, batch) => {
    const grad = new Float32Array(net.size);
    const value = net.gradInto(params, x, batch, loss, grad);
    return { value, grad };
  };
}
