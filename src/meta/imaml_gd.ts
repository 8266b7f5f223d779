// iMAML as in the paper (Rajeswaran et al. 2019, Alg. 1 with the GD inner solver): per task, the
// inner problem min_φ L_support(φ) + λ/2·‖φ − θ‖² is solved by `steps` plain gradient-descent
// steps from φ = θ at the fixed rate α (no curvature cap), and the meta-gradient
// (I + H/λ)⁻¹ ∇L_query(φ) comes from the bilevel module's implicit hypergradient (nn.cg on
// H + λI): with f(φ, θ) the proximal objective, ∂²f/∂θ∂φ = −λI, so
//   dL_query/dθ = −(∂²f/∂θ∂φ)(∇²_φ f)⁻¹∇L_query = λ(H + λI)⁻¹∇L_query = (I + H/λ)⁻¹∇L_query.
// Task loops run in TypeScript over nn.mlp's exact products (no batched kernel for this mode).

import type { MetaLossKind } from '../backend/kernels/meta.js';
import { hypergradient } from '../bilevel/hypergradient.js';
import type { BilevelProblem, HypergradientResult } from '../bilevel/types.js';
import { crossEntropy, mse } from '../nn/losses.js';
import type { Loss, Model } from '../nn/types.js';
import type { TaskBatch } from './tasks/types.js';

/** One task's proximal bilevel problem: w = φ (the adapted weights), λ = θ (the meta-parameters). */
export function proximalTaskProblem(
  net: Model,
  support: { x: Float32Array; rows: number; loss: Loss },
  query: { x: Float32Array; rows: number; loss: Loss },
  lambda: number,
): BilevelProblem {
  const out = net.outputSize;
  const dyS = new Float32Array(support.rows * out);
  const dyQ = new Float32Array(query.rows * out);
  const P = net.size;
  return {
    name: 'imamlTask',
    wSize: P,
    lambdaSize: P,
    inner(phi, theta, gradW) {
      const y = net.forward(phi, support.x, support.rows);
      let sq = 0;
      for (let i = 0; i < P; i++) sq += ((phi[i] as number) - (theta[i] as number)) ** 2;
      if (!gradW) return support.loss.value(y, support.rows) + 0.5 * lambda * sq;
      const value = support.loss.grad(y, support.rows, dyS);
      gradW.set(net.vjp(phi, support.x, support.rows, dyS).params);
      for (let i = 0; i < P; i++)
        gradW[i] = (gradW[i] as number) + lambda * ((phi[i] as number) - (theta[i] as number));
      return value + 0.5 * lambda * sq;
    },
    innerGradLambda(phi, theta, o) {
      for (let i = 0; i < P; i++) o[i] = -lambda * ((phi[i] as number) - (theta[i] as number));
    },
    innerHvp(phi, _theta, v, o) {
      o.set(net.hvp(phi, support.x, support.rows, support.loss, v));
      for (let i = 0; i < P; i++) o[i] = (o[i] as number) + lambda * (v[i] as number);
    },
    innerMixedVjp(_phi, _theta, v, o) {
      for (let i = 0; i < P; i++) o[i] = -lambda * (v[i] as number);
    },
    innerMixedJvp(_phi, _theta, u, o) {
      for (let i = 0; i < P; i++) o[i] = -lambda * (u[i] as number);
    },
    outer(phi, _theta, gradW, gradLambda) {
      gradLambda?.fill(0);
      const y = net.forward(phi, query.x, query.rows);
      if (!gradW) return query.loss.value(y, query.rows);
      const value = query.loss.grad(y, query.rows, dyQ);
      gradW.set(net.vjp(phi, query.x, query.rows, dyQ).params);
      return value;
    },
  };
}

/** Settings of one batch of iMAML-GD meta-gradients. */
export interface ImamlGdSettings {
  lambda: number;
  steps: number;
  lr: number;
  cgSteps: number;
  loss: MetaLossKind;
}

/** Per-task records of one batch (for diagnostics): did the inner loop diverge, and its losses. */
export interface ImamlGdBatchResult {
  /** Tasks whose inner loop gave a non-finite query loss (their meta-gradient is left out). */
  diverged: number;
}

/**
 * grad = mean over the batch's tasks of the implicit meta-gradient; pre/post get each task's
 * query loss at θ and at φ (NaN for a diverged task). Diverged tasks count toward the mean as 0
 * and are reported, so a caller can stop (training) or count them (diagnostics).
 */
export function imamlGdBatch(
  net: Model,
  params: Float32Array,
  b: TaskBatch,
  s: ImamlGdSettings,
  grad: Float32Array,
  pre: Float32Array,
  post: Float32Array,
): ImamlGdBatchResult {
  const inDim = net.inputSize;
  const out = net.outputSize;
  const T = b.count;
  const S = b.supportRows;
  const Q = b.queryRows;
  const acc = new Float64Array(grad.length);
  let diverged = 0;
  for (let t = 0; t < T; t++) {
    const xs = b.supportX.subarray(t * S * inDim, (t + 1) * S * inDim);
    const xq = b.queryX.subarray(t * Q * inDim, (t + 1) * Q * inDim);
    const per = s.loss === 'mse' ? out : 1;
    const ys = b.supportY.subarray(t * S * per, (t + 1) * S * per);
    const yq = b.queryY.subarray(t * Q * per, (t + 1) * Q * per);
    const lossOf = (y: Float32Array | Int32Array): Loss =>
      y instanceof Int32Array ? crossEntropy(y, out) : mse(y as Float32Array);
    const qLoss = lossOf(yq);
    const p = proximalTaskProblem(net, { x: xs, rows: S, loss: lossOf(ys) }, { x: xq, rows: Q, loss: qLoss }, s.lambda);
    pre[t] = qLoss.value(net.forward(params, xq, Q), Q);
    let r: HypergradientResult | undefined;
    try {
      r = hypergradient(p, params, {
        method: 'implicit',
        steps: s.steps,
        innerLr: s.lr,
        w0: params,
        cgIters: s.cgSteps,
      });
    } catch (e) {
      if (!(e instanceof RangeError) || !/diverged/.test(e.message)) throw e;
    }
    let finite = r !== undefined && Number.isFinite(r.value);
    if (r && finite) for (let i = 0; i < r.grad.length && finite; i++) finite = Number.isFinite(r.grad[i]);
    if (!r || !finite) {
      diverged++;
      post[t] = Number.NaN;
      continue;
    }
    post[t] = r.value;
    for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (r.grad[i] as number);
  }
  for (let i = 0; i < acc.length; i++) grad[i] = (acc[i] as number) / T;
  return { diverged };
}
