// Mixed second derivatives of ℓ(f(θ, x); η): a loss over a model's outputs y = f(θ, x) that also
// depends on a few hyperparameters η (a discount, a loss coefficient). With J = ∂y/∂θ:
//   D²_ηθ · u = ⟨∂_η ∇_y ℓ, J u⟩          (one JVP, then the loss's own mixed term)
//   D²_θη · w = Jᵀ (∂_η ∇_y ℓ · w)          (the loss's mixed term, then one VJP)
// exact for any model (no second derivative of f enters: ℓ's η-dependence is through ∇_y ℓ only).
// Meta-gradient RL differentiates an update θ' = θ − α∇_θℓ through η with these; nn.blockHessian
// covers the case where η is itself a model parameter block.
import { checkFloat32, checkInteger } from '../util/check.js';
import type { Loss, Mlp } from './types.js';

/** A loss ℓ(y; η) with the mixed derivative ∂_η ∇_y ℓ (η bound at creation, like targets). */
export interface ParamLoss extends Loss {
  /** Number of hyperparameters η the loss is differentiated in. */
  readonly paramCount: number;
  /** out[j] = Σ ∂²ℓ/∂y∂η_j · ydot over the batch (length paramCount). */
  mixedDot(y: Float32Array, batch: number, ydot: Float32Array, out: Float64Array): void;
  /** out = Σ_j w_j ∂(∇_y ℓ)/∂η_j, shaped like y. */
  mixedTimes(y: Float32Array, batch: number, w: ArrayLike<number>, out: Float32Array): void;
}

/** The two mixed-derivative products of loss(model(θ, x); η) (see the file header). */
export interface ParamLossMixed {
  /** D²_ηθ ℓ · u: u ∈ ℝ^{model.size} → out ∈ ℝ^{paramCount}. */
  yx(params: Float32Array, u: Float32Array, out: Float64Array): void;
  /** D²_θη ℓ · w: w ∈ ℝ^{paramCount} → out ∈ ℝ^{model.size}. */
  xy(params: Float32Array, w: ArrayLike<number>, out: Float32Array): void;
}

/** Mixed products of `loss` over `model` on inputs x [batch × in] (exact, via JVP/VJP). */
export function paramLossMixed(model: Mlp, loss: ParamLoss, x: Float32Array, batch: number): ParamLossMixed {
  if (typeof model !== 'object' || model === null || typeof model.jvpInto !== 'function')
    throw new TypeError('paramLossMixed: model: expected a model from nn.mlp');
  if (typeof loss !== 'object' || loss === null || typeof loss.mixedDot !== 'function')
    throw new TypeError('paramLossMixed: loss: expected a ParamLoss (with mixedDot and mixedTimes)');
  checkInteger(batch, 'paramLossMixed: batch', 1);
  checkFloat32(x, 'paramLossMixed: x', batch * model.inputSize);
  loss.check(model.outputSize, batch);
  const y = new Float32Array(batch * model.outputSize);
  const ydot = new Float32Array(batch * model.outputSize);
  return {
    yx(params, u, out) {
      checkFloat32(u, 'paramLossMixed.yx: u', model.size);
      if (!(out instanceof Float64Array) || out.length !== loss.paramCount)
        throw new RangeError(`paramLossMixed.yx: out: expected a Float64Array of length ${loss.paramCount}`);
      model.jvpInto(params, x, batch, u, ydot, y);
      loss.mixedDot(y, batch, ydot, out);
    },
    xy(params, w, out) {
      checkFloat32(out, 'paramLossMixed.xy: out', model.size);
      if (w.length !== loss.paramCount)
        throw new RangeError(`paramLossMixed.xy: w: expected length ${loss.paramCount}, got ${w.length}`);
      model.forwardInto(params, x, batch, y);
      loss.mixedTimes(y, batch, w, ydot);
      model.vjpInto(params, x, batch, ydot, out, null);
    },
  };
}
