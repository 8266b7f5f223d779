// Generalized Gauss-Newton-vector products G·v = Jᵀ H_ℓ J v for a loss ℓ over a model's outputs,
// in three passes (Schraudolph 2002; Martens 2010): u = J v by the model's JVP, w = H_ℓ u by the
// loss's output-space Hessian, Jᵀ w by the model's VJP. No N × N matrix is formed. For a loss
// convex in the outputs G is positive semi-definite, unlike the Hessian, which also carries
// Σ_k (∂ℓ/∂y_k) ∇²y_k. That term vanishes wherever ∂ℓ/∂y = 0, so for the KL between a fixed old
// policy and the new one at θ = θ_old (TRPO), G is the exact KL Hessian: the Fisher matrix. For
// softmax cross-entropy and squared error, G is also the Fisher of the matching likelihood.
//
// The one product behind TRPO's natural step and any Gauss-Newton or natural-gradient method.
import { checkInteger } from '../util/check.js';
import type { Loss, Mlp } from './types.js';

function isMlp(net: unknown): net is Mlp {
  const m = net as Mlp;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.jvpInto === 'function' &&
    typeof m.vjpInto === 'function' &&
    Number.isInteger(m.outputSize)
  );
}

/**
 * The Gauss-Newton-vector product Jᵀ H_ℓ J v of `loss` over `net`'s outputs on `batch` rows of
 * `x`, w.r.t. the parameters, written into `out` (allocated when not given) and returned. The loss
 * must give its output-space Hessian (`hvp`); the losses scale by the batch as their gradients do
 * (`nn.loss.mse` and `crossEntropy` are means), so G is the mean over rows.
 */
export function ggnvp(
  net: Mlp,
  params: Float32Array,
  x: Float32Array,
  batch: number,
  loss: Loss,
  v: Float32Array,
  out?: Float32Array,
): Float32Array {
  if (!isMlp(net)) throw new TypeError('nn.ggnvp: net: expected an nn.mlp model');
  const l = loss as Partial<Loss> | null;
  if (typeof l !== 'object' || l === null || typeof l.check !== 'function')
    throw new TypeError('nn.ggnvp: loss: expected an nn.loss object (nn.loss.mse(target), ...)');
  if (typeof l.hvp !== 'function')
    throw new TypeError(`nn.ggnvp: loss: '${String(l.name)}' gives no output-space Hessian (hvp)`);
  checkInteger(batch, 'nn.ggnvp: batch', 1);
  loss.check(net.outputSize, batch);
  const n = batch * net.outputSize;
  const y = new Float32Array(n);
  const u = new Float32Array(n);
  // The JVP and VJP check params, x and v (and name them).
  net.jvpInto(params, x, batch, v, u, y);
  const w = new Float32Array(n);
  l.hvp(y, batch, u, w);
  const result = out ?? new Float32Array(net.size);
  net.vjpInto(params, x, batch, w, result);
  return result;
}
