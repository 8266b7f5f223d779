// Losses over a model output y [batch × out]: value, gradient and Hessian-vector product w.r.t.
// y, all computed in float64. Each binds its targets at creation.
import { checkFloat32, checkInt32, checkInteger, checkKnownKeys, checkNumber } from '../util/check.js';
import type { CustomLossSpec, Loss } from './types.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function checkRows(target: { length: number }, perRow: number, batch: number, what: string): void {
  if (target.length !== batch * perRow)
    throw new RangeError(`${what}: expected ${batch} × ${perRow} = ${batch * perRow} elements, got ${target.length}`);
}

/**
 * Mean squared error over all elements: L = Σ (y − t)² / (batch·out) (PyTorch's mean reduction).
 * `target` has the model output's shape [batch × out].
 */
export function mse(target: Float32Array): Loss {
  checkFloat32(target, 'mse: target');
  return {
    name: 'mse',
    check(outDim, batch) {
      checkRows(target, outDim, batch, 'mse: target');
    },
    value(y) {
      let s = 0;
      for (let i = 0; i < target.length; i++) s += ((y[i] as number) - (target[i] as number)) ** 2;
      return s / target.length;
    },
    grad(y, _batch, out) {
      const n = target.length;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const r = (y[i] as number) - (target[i] as number);
        s += r * r;
        out[i] = (2 * r) / n;
      }
      return s / n;
    },
    hvp(_y, _batch, v, out) {
      const c = 2 / target.length;
      for (let i = 0; i < target.length; i++) out[i] = c * (v[i] as number);
    },
  };
}

/**
 * Softmax cross-entropy with integer labels, averaged over the batch:
 * L = Σ_b (logsumexp(y_b) − y_b[label_b]) / batch. The model's outputs are the logits; a label
 * outside [0, out) is a RangeError.
 */
export function crossEntropy(labels: Int32Array, numClasses?: number): Loss {
  checkInt32(labels, 'crossEntropy: labels');
  if (numClasses !== undefined) checkInteger(numClasses, 'crossEntropy: numClasses', 1);
  // Softmax of a row into p (float64), returns logsumexp.
  let p = new Float64Array(0);
  const softmax = (y: ArrayLike<number>, off: number, k: number): number => {
    if (p.length < k) p = new Float64Array(k);
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) m = Math.max(m, y[off + j] as number);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp((y[off + j] as number) - m);
      p[j] = e;
      s += e;
    }
    for (let j = 0; j < k; j++) p[j] = (p[j] as number) / s;
    return m + Math.log(s);
  };
  return {
    name: 'crossEntropy',
    check(outDim, batch) {
      if (numClasses !== undefined && outDim !== numClasses)
        throw new RangeError(`crossEntropy: the model has ${outDim} outputs, expected numClasses = ${numClasses}`);
      if (labels.length !== batch)
        throw new RangeError(`crossEntropy: labels: expected length ${batch} (the batch), got ${labels.length}`);
      for (let b = 0; b < batch; b++) {
        const c = labels[b] as number;
        if (c < 0 || c >= outDim) throw new RangeError(`crossEntropy: labels[${b}] = ${c} is outside [0, ${outDim})`);
      }
    },
    value(y, batch) {
      const k = y.length / batch;
      let s = 0;
      for (let b = 0; b < batch; b++) s += softmax(y, b * k, k) - (y[b * k + (labels[b] as number)] as number);
      return s / batch;
    },
    grad(y, batch, out) {
      const k = y.length / batch;
      let s = 0;
      for (let b = 0; b < batch; b++) {
        const lse = softmax(y, b * k, k);
        const c = labels[b] as number;
        s += lse - (y[b * k + c] as number);
        for (let j = 0; j < k; j++) out[b * k + j] = ((p[j] as number) - (j === c ? 1 : 0)) / batch;
      }
      return s / batch;
    },
    hvp(y, batch, v, out) {
      // (diag(p) − p pᵀ) v per row.
      const k = y.length / batch;
      for (let b = 0; b < batch; b++) {
        softmax(y, b * k, k);
        let pv = 0;
        for (let j = 0; j < k; j++) pv += (p[j] as number) * (v[b * k + j] as number);
        for (let j = 0; j < k; j++) out[b * k + j] = ((p[j] as number) * ((v[b * k + j] as number) - pv)) / batch;
      }
    },
  };
}

/** Options of `nn.loss.gaussianNll`: a fixed log standard deviation, or one predicted by the model. */
export interface GaussianNllOptions {
  /**
   * Fixed log standard deviation (a number, or one per output dimension). When given, the model
   * outputs only the mean [batch × d]; otherwise it outputs [mean (d) | log std (d)] per row.
   */
  logStd?: number | Float32Array;
}

/**
 * Gaussian negative log-likelihood of `target` [batch × d], summed over dimensions and averaged
 * over the batch: L = Σ_b Σ_j (½((t−μ)/σ)² + log σ + ½ log 2π) / batch.
 */
export function gaussianNll(target: Float32Array, options: GaussianNllOptions = {}): Loss {
  checkFloat32(target, 'gaussianNll: target');
  checkKnownKeys(options, ['logStd'], 'gaussianNll');
  const fixed = options.logStd;
  if (typeof fixed === 'number') checkNumber(fixed, 'gaussianNll: logStd');
  else if (fixed !== undefined) checkFloat32(fixed, 'gaussianNll: logStd');
  const fixedAt = (j: number): number => (typeof fixed === 'number' ? fixed : ((fixed as Float32Array)[j] as number));
  // Output layout of a row: mean at j, log std at d + j (learned) or fixed.
  return {
    name: 'gaussianNll',
    check(outDim, batch) {
      const d = fixed === undefined ? outDim / 2 : outDim;
      if (!Number.isInteger(d))
        throw new RangeError(`gaussianNll: a model without fixed logStd outputs [mean | logStd]; ${outDim} is odd`);
      checkRows(target, d, batch, 'gaussianNll: target');
      if (fixed instanceof Float32Array && fixed.length !== d)
        throw new RangeError(`gaussianNll: logStd: expected length ${d}, got ${fixed.length}`);
    },
    value(y, batch) {
      const d = target.length / batch;
      const k = y.length / batch;
      let s = 0;
      for (let b = 0; b < batch; b++)
        for (let j = 0; j < d; j++) {
          const ls = fixed === undefined ? (y[b * k + d + j] as number) : fixedAt(j);
          const r = ((target[b * d + j] as number) - (y[b * k + j] as number)) * Math.exp(-ls);
          s += 0.5 * r * r + ls + HALF_LOG_2PI;
        }
      return s / batch;
    },
    grad(y, batch, out) {
      const d = target.length / batch;
      const k = y.length / batch;
      let s = 0;
      for (let b = 0; b < batch; b++)
        for (let j = 0; j < d; j++) {
          const ls = fixed === undefined ? (y[b * k + d + j] as number) : fixedAt(j);
          const r = (target[b * d + j] as number) - (y[b * k + j] as number);
          const e = Math.exp(-2 * ls);
          s += 0.5 * r * r * e + ls + HALF_LOG_2PI;
          out[b * k + j] = (-r * e) / batch;
          if (fixed === undefined) out[b * k + d + j] = (1 - r * r * e) / batch;
        }
      return s / batch;
    },
    hvp(y, batch, v, out) {
      const d = target.length / batch;
      const k = y.length / batch;
      for (let b = 0; b < batch; b++)
        for (let j = 0; j < d; j++) {
          const im = b * k + j;
          if (fixed === undefined) {
            const is = im + d;
            const ls = y[is] as number;
            const r = (target[b * d + j] as number) - (y[im] as number);
            const e = Math.exp(-2 * ls);
            const vm = v[im] as number;
            const vs = v[is] as number;
            out[im] = (e * vm + 2 * r * e * vs) / batch;
            out[is] = (2 * r * e * vm + 2 * r * r * e * vs) / batch;
          } else {
            out[im] = (Math.exp(-2 * fixedAt(j)) * (v[im] as number)) / batch;
          }
        }
    },
  };
}

/** A user-supplied loss: value, gradient and (optionally) Hessian-vector product callbacks. */
export function custom(spec: CustomLossSpec): Loss {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('custom: expected an object of callbacks');
  checkKnownKeys(spec, ['name', 'outDim', 'value', 'grad', 'hvp'], 'custom');
  if (typeof spec.value !== 'function') throw new TypeError('custom: value: expected a function');
  if (typeof spec.grad !== 'function') throw new TypeError('custom: grad: expected a function');
  if (spec.hvp !== undefined && typeof spec.hvp !== 'function') throw new TypeError('custom: hvp: expected a function');
  const hvp = spec.hvp;
  const loss: Loss = {
    name: spec.name ?? 'custom',
    check(outDim) {
      if (spec.outDim !== undefined && spec.outDim !== outDim)
        throw new RangeError(`${loss.name}: the model has ${outDim} outputs, the loss expects ${spec.outDim}`);
    },
    value: (y, batch) => spec.value(y, batch),
    grad(y, batch, out) {
      spec.grad(y, batch, out);
      return spec.value(y, batch);
    },
  };
  if (hvp) loss.hvp = (y, batch, v, out) => hvp(y, batch, v, out);
  return loss;
}
