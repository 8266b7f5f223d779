// Natural gradient descent, digital form: θ ← θ − lr·(F + λI)⁻¹ g with F the Gauss-Newton matrix
// (the Fisher for softmax cross-entropy and Gaussian squared error, nn.ggnvp), solved by conjugate
// gradient on Fisher-vector products (nn.cg). "Thermodynamic Natural Gradient Descent" solves the
// same damped system with an analog device; this is the CG baseline it is compared against.
import { cg } from '../../nn/cg.js';
import { checkInteger } from '../../util/check.js';
import { checkNonNegative, checkStepArgs, lrAt, newState, parseOptions } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { curvatureProduct } from './oracle.js';

/** Step size, damping and CG budget of natural gradient descent θ ← θ − lr·(F + λI)⁻¹g. */
export interface NaturalGradientOptions {
  /** Step size on the natural direction (default 1: the full damped Gauss-Newton step). */
  lr?: LearningRate;
  /** Tikhonov damping λ added to F (default 1e-3). */
  damping?: number;
  /** Conjugate-gradient iterations per step (default 10). */
  cgIters?: number;
  /** CG stops once the residual is below cgTol·‖g‖ (default 1e-10). */
  cgTol?: number;
  /** 'ggn' (default; Fisher/Gauss-Newton, PSD) or 'hessian' (damped Newton-CG). */
  curvature?: 'ggn' | 'hessian';
}

/** Natural gradient (GGN/Fisher) by CG; needs `extra.curvature.ggnvp` (or `.hvp`) each step. */
export function naturalGradient(options?: NaturalGradientOptions): Optimizer {
  const name = 'naturalGradient';
  const o = parseOptions(name, options, {
    lr: 1 as LearningRate,
    damping: 1e-3,
    cgIters: 10,
    cgTol: 1e-10,
    curvature: 'ggn' as string,
  });
  checkNonNegative(o.damping, `${name}: damping`);
  checkNonNegative(o.cgTol, `${name}: cgTol`);
  checkInteger(o.cgIters, `${name}: cgIters`, 1);
  if (o.curvature !== 'ggn' && o.curvature !== 'hessian')
    throw new RangeError(`${name}: curvature: expected 'ggn' or 'hessian', got '${o.curvature}'`);
  const kind = o.curvature === 'ggn' ? 'ggnvp' : 'hvp';
  return {
    kind: 'optimizer',
    name,
    init(params) {
      if (!(params instanceof Float32Array)) throw new TypeError(`${name}.init: params: expected a Float32Array`);
      return newState({}, { cgIters: 0, residual: 0 });
    },
    step(params, grads, state, extra) {
      checkStepArgs(name, params, grads);
      const product = curvatureProduct(name, extra, kind);
      const lr = lrAt(o.lr, state.count, `${name}: lr`);
      const r = cg(product, grads, { iters: o.cgIters, tol: o.cgTol, damping: o.damping });
      for (let i = 0; i < params.length; i++) params[i] = (params[i] as number) - lr * (r.x[i] as number);
      state.scalars.cgIters = r.iters;
      state.scalars.residual = r.residual;
      state.count++;
      return true;
    },
  };
}
