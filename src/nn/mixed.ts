// Mixed second derivatives of a scalar f(x, y) of two parameter blocks, read off one exact
// Hessian-vector product on the joint vector z = (x, y): H·(u, v) = (D²ₓₓf·u + D²ₓᵧf·v,
// D²ᵧₓf·u + D²ᵧᵧf·v). Games (CGD's mixed-Hessian system, Jacobian diagnostics) and bilevel
// hypergradients (D²ₓᵧ of the inner loss) share this one helper rather than each splitting HVPs.
import { checkFloat32, checkInteger } from '../util/check.js';
import type { Loss, Model } from './types.js';

/** An exact Hessian-vector product of a scalar function at z: returns H(z)·v (length of z). */
export type JointHvp = (z: Float32Array, v: Float32Array) => Float32Array;

/**
 * The four blocks of the Hessian of f(x, y) as products (x has m entries, y has n). Each writes
 * into `out` (length m for xx/xy, n for yx/yy) and allocates only the joint vectors.
 */
export interface BlockHessian {
  readonly m: number;
  readonly n: number;
  /** D²ₓₓf·u (u ∈ ℝᵐ) → ℝᵐ. */
  xx(x: Float32Array, y: Float32Array, u: Float32Array, out: Float32Array): void;
  /** D²ₓᵧf·v = ∂/∂y(∇ₓf)·v (v ∈ ℝⁿ) → ℝᵐ. */
  xy(x: Float32Array, y: Float32Array, v: Float32Array, out: Float32Array): void;
  /** D²ᵧₓf·u = ∂/∂x(∇ᵧf)·u (u ∈ ℝᵐ) → ℝⁿ. */
  yx(x: Float32Array, y: Float32Array, u: Float32Array, out: Float32Array): void;
  /** D²ᵧᵧf·v (v ∈ ℝⁿ) → ℝⁿ. */
  yy(x: Float32Array, y: Float32Array, v: Float32Array, out: Float32Array): void;
}

/** Block products of f(x, y) from a joint HVP over z = (x, y) with x = z[0..m), y = z[m..m+n). */
export function blockHessian(hvp: JointHvp, m: number, n: number): BlockHessian {
  if (typeof hvp !== 'function') throw new TypeError('blockHessian: hvp: expected a function');
  checkInteger(m, 'blockHessian: m', 1);
  checkInteger(n, 'blockHessian: n', 1);
  const z = new Float32Array(m + n);
  const t = new Float32Array(m + n);
  // Tangent `w` goes into the x block (from = 0) or the y block (from = m); the answer is read
  // from the x block (to = 0, length m) or the y block (to = m, length n).
  const product = (
    which: string,
    x: Float32Array,
    y: Float32Array,
    w: Float32Array,
    out: Float32Array,
    from: number,
    to: number,
  ): void => {
    checkFloat32(x, `blockHessian.${which}: x`, m);
    checkFloat32(y, `blockHessian.${which}: y`, n);
    checkFloat32(w, `blockHessian.${which}: ${from === 0 ? 'u' : 'v'}`, from === 0 ? m : n);
    checkFloat32(out, `blockHessian.${which}: out`, to === 0 ? m : n);
    z.set(x, 0);
    z.set(y, m);
    t.fill(0);
    t.set(w, from);
    const h = hvp(z, t);
    if (!(h instanceof Float32Array) || h.length !== m + n)
      throw new RangeError(`blockHessian: hvp: expected a Float32Array of length ${m + n}`);
    out.set(h.subarray(to, to + out.length));
  };
  return {
    m,
    n,
    xx: (x, y, u, out) => product('xx', x, y, u, out, 0, 0),
    xy: (x, y, v, out) => product('xy', x, y, v, out, m, 0),
    yx: (x, y, u, out) => product('yx', x, y, u, out, 0, m),
    yy: (x, y, v, out) => product('yy', x, y, v, out, m, m),
  };
}

/**
 * Block products of loss(model(params, inputs)) where the first m parameters are the x block and
 * the rest the y block (exact, through the model's R-operator HVP).
 */
export function modelBlockHessian(
  model: Model,
  loss: Loss,
  inputs: Float32Array,
  batch: number,
  m: number,
): BlockHessian {
  if (typeof model !== 'object' || model === null || typeof model.hvp !== 'function')
    throw new TypeError('modelBlockHessian: model: expected a model from nn.mlp');
  checkInteger(m, 'modelBlockHessian: m', 1);
  if (m >= model.size)
    throw new RangeError(`modelBlockHessian: m: expected fewer than the model's ${model.size} parameters, got ${m}`);
  return blockHessian((z, v) => model.hvp(z, inputs, batch, loss, v), m, model.size - m);
}
