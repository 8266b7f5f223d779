// Ridge regression with per-feature L2 strengths as hyperparameters (λ_j = log strength):
//   f(w, λ) = (1/n)·Σ_r (x_r·w − y_r)² + Σ_j exp(λ_j)·w_j²     (train rows)
//   F(w, λ) = (1/m)·Σ_r (x_r·w − y_r)²                          (validation rows)
// The products are written out by hand: ∇²_w f = (2/n)XᵀX + 2·diag(e^λ), ∂²f/∂λ_j∂w_i = 2e^{λ_j}w_j·[i=j].
import { getBackend } from '../../backend/index.js';
import { checkFloat32 } from '../../util/check.js';
import type { BilevelProblem } from '../types.js';
import { checkRows, GRAM_MARGIN, gramTop } from './data.js';

/** Data of the ridge-regression bilevel problem: training and validation sets (`bilevel.problems.ridge`). */
export interface RidgeData {
  /** Training inputs [n × d], row-major. */
  xTrain: Float32Array;
  /** Training targets [n]. */
  yTrain: Float32Array;
  /** Validation inputs [m × d]. */
  xVal: Float32Array;
  /** Validation targets [m]. */
  yVal: Float32Array;
}

/** Residuals r = Xw − y into `out` (float64). */
function residuals(x: Float32Array, y: Float32Array, w: Float32Array, out: Float64Array): void {
  const d = w.length;
  for (let r = 0; r < y.length; r++) {
    let s = -(y[r] as number);
    for (let j = 0; j < d; j++) s += (x[r * d + j] as number) * (w[j] as number);
    out[r] = s;
  }
}

/** (2/rows)·Xᵀ·r into `out`. */
function xtr(x: Float32Array, res: Float64Array, d: number, out: Float64Array): void {
  out.fill(0);
  const rows = res.length;
  for (let r = 0; r < rows; r++) {
    const s = (2 * (res[r] as number)) / rows;
    for (let j = 0; j < d; j++) out[j] = (out[j] as number) + (x[r * d + j] as number) * s;
  }
}

/**
 * The ridge problem of API.md: λ (length d) are log per-feature L2 strengths. Data are copied
 * by reference (not modified). The curvature bound is 2·λmax(XᵀX/n)·1.05 + 2·max_j e^{λ_j}.
 */
export function ridge(data: RidgeData): BilevelProblem {
  const fn = 'bilevel.problems.ridge';
  if (typeof data !== 'object' || data === null) throw new TypeError(`${fn}: expected { xTrain, yTrain, xVal, yVal }`);
  const { xTrain, yTrain, xVal, yVal } = data;
  checkFloat32(xTrain, `${fn}: xTrain`);
  checkFloat32(yTrain, `${fn}: yTrain`);
  if (yTrain.length === 0) throw new RangeError(`${fn}: yTrain: expected at least one row`);
  const n = yTrain.length;
  const d = xTrain.length / n;
  if (!Number.isInteger(d) || d < 1)
    throw new RangeError(`${fn}: xTrain: expected length n·d with n = yTrain.length = ${n}, got ${xTrain.length}`);
  checkRows(xTrain, yTrain, d, fn, 'xTrain', 'yTrain');
  checkFloat32(yVal, `${fn}: yVal`);
  checkRows(xVal, yVal, d, fn, 'xVal', 'yVal');
  const m = yVal.length;
  const gram = gramTop(xTrain, n, d, false);
  const resTrain = new Float64Array(n);
  const resVal = new Float64Array(m);
  const g64 = new Float64Array(d);
  const xv = new Float64Array(n);
  return {
    name: 'ridge',
    wSize: d,
    lambdaSize: d,
    inner(w, lambda, gradW) {
      residuals(xTrain, yTrain, w, resTrain);
      let loss = 0;
      for (let r = 0; r < n; r++) loss += (resTrain[r] as number) ** 2;
      loss /= n;
      for (let j = 0; j < d; j++) loss += Math.exp(lambda[j] as number) * (w[j] as number) ** 2;
      if (gradW) {
        xtr(xTrain, resTrain, d, g64);
        for (let j = 0; j < d; j++)
          gradW[j] = (g64[j] as number) + 2 * Math.exp(lambda[j] as number) * (w[j] as number);
      }
      return loss;
    },
    innerGradLambda(w, lambda, out) {
      for (let j = 0; j < d; j++) out[j] = Math.exp(lambda[j] as number) * (w[j] as number) ** 2;
    },
    innerHvp(_w, lambda, v, out) {
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (xTrain[r * d + j] as number) * (v[j] as number);
        xv[r] = s;
      }
      xtr(xTrain, xv, d, g64);
      for (let j = 0; j < d; j++) out[j] = (g64[j] as number) + 2 * Math.exp(lambda[j] as number) * (v[j] as number);
    },
    innerMixedVjp(w, lambda, v, out) {
      for (let j = 0; j < d; j++) out[j] = 2 * Math.exp(lambda[j] as number) * (w[j] as number) * (v[j] as number);
    },
    innerMixedJvp(w, lambda, u, out) {
      for (let j = 0; j < d; j++) out[j] = 2 * Math.exp(lambda[j] as number) * (w[j] as number) * (u[j] as number);
    },
    outer(w, _lambda, gradW, gradLambda) {
      residuals(xVal, yVal, w, resVal);
      let loss = 0;
      for (let r = 0; r < m; r++) loss += (resVal[r] as number) ** 2;
      if (gradW) {
        xtr(xVal, resVal, d, g64);
        for (let j = 0; j < d; j++) gradW[j] = g64[j] as number;
      }
      gradLambda?.fill(0);
      return loss / m;
    },
    outerHvp(_w, _lambda, v, out) {
      const xvv = new Float64Array(m);
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (xVal[r * d + j] as number) * (v[j] as number);
        xvv[r] = s;
      }
      xtr(xVal, xvv, d, g64);
      for (let j = 0; j < d; j++) out[j] = g64[j] as number;
    },
    outerMixedVjp(_w, _lambda, _v, out) {
      out.fill(0);
    },
    fusedSweep(lambda, w0, steps, lr, forward) {
      const w = w0.slice();
      const grad = new Float32Array(d);
      const scratch = new Float32Array(forward ? d * d : steps * d);
      const value = getBackend().bilevelRidgeHypergrad(xTrain, yTrain, xVal, yVal, lambda, w, scratch, grad, {
        steps,
        lr,
        forward,
      });
      return { value, grad, w };
    },
    curvatureBound(lambda) {
      let top = 0;
      for (let j = 0; j < d; j++) top = Math.max(top, Math.exp(lambda[j] as number));
      return 2 * gram * GRAM_MARGIN + 2 * top;
    },
  };
}
