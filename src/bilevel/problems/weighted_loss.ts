// Data hyper-cleaning (Franceschi et al. 2017; Shaban et al. 2019; PBGD and BDA papers): one
// hyperparameter per training example, its weight σ(λ_i), on a classifier from `nn`:
//   f(w, λ) = (1/n)·Σ_i σ(λ_i)·CE(model(w, x_i), y_i) + (l2/2)·‖w‖²     (corrupted train rows)
//   F(w, λ) = (1/m)·Σ_r CE(model(w, x_r), y_r)                         (clean validation rows)
// Products: ∇²_w f by the model's R-operator with a per-row weighted softmax Hessian;
// ∂²f/∂λ_i∂w = σ'(λ_i)/n·∇_w CE_i, applied through the model's JVP (to λ) or VJP (to w).
import { getBackend } from '../../backend/index.js';
import { mlp } from '../../nn/mlp.js';
import type { Loss, Model } from '../../nn/types.js';
import { checkInteger, checkRange } from '../../util/check.js';
import type { BilevelProblem } from '../types.js';
import { checkRows, GRAM_MARGIN, gramTop } from './data.js';

/** Data of the per-example loss-weighting bilevel problem: a (possibly corrupted) training set and a clean validation set (`bilevel.problems.weightedLoss`). */
export interface WeightedLossData {
  /** Training inputs [n × d] (labels possibly corrupted). */
  xTrain: Float32Array;
  /** Training labels [n] in [0, classes). */
  yTrain: Int32Array;
  /** Validation inputs [m × d] (clean). */
  xVal: Float32Array;
  yVal: Int32Array;
  /** Number of classes. */
  classes: number;
  /** The classifier (logits out); default a linear model nn.mlp({ sizes: [d, classes], activation: 'identity' }). */
  model?: Model;
  /** L2 on w, keeps the inner problem strongly convex for a linear model (default 1e-3). */
  l2?: number;
  /** Seed of model.init for the inner starting point (default: zeros for the default linear model, else 0). */
  seed?: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Row softmax of logits [rows × k] into `p`. */
function softmax(y: Float32Array, rows: number, k: number, p: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) mx = Math.max(mx, y[r * k + c] as number);
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp((y[r * k + c] as number) - mx);
      p[r * k + c] = e;
      s += e;
    }
    for (let c = 0; c < k; c++) p[r * k + c] = (p[r * k + c] as number) / s;
  }
}

/** The hyper-cleaning problem: λ (length n) are per-example logit weights, σ(λ_i) ∈ (0, 1). */
export function weightedLoss(data: WeightedLossData): BilevelProblem {
  const fn = 'bilevel.problems.weightedLoss';
  if (typeof data !== 'object' || data === null)
    throw new TypeError(`${fn}: expected { xTrain, yTrain, xVal, yVal, classes }`);
  const { xTrain, yTrain, xVal, yVal, classes: k } = data;
  checkInteger(k, `${fn}: classes`, 2);
  if (!(yTrain instanceof Int32Array) || yTrain.length === 0)
    throw new TypeError(`${fn}: yTrain: expected a non-empty Int32Array of labels`);
  const n = yTrain.length;
  const d = (xTrain?.length ?? 0) / n;
  if (!Number.isInteger(d) || d < 1)
    throw new RangeError(`${fn}: xTrain: expected length n·d with n = yTrain.length = ${n}`);
  checkRows(xTrain, yTrain, d, fn, 'xTrain', 'yTrain');
  if (!(yVal instanceof Int32Array)) throw new TypeError(`${fn}: yVal: expected an Int32Array of labels`);
  checkRows(xVal, yVal, d, fn, 'xVal', 'yVal');
  for (const [ys, name] of [
    [yTrain, 'yTrain'],
    [yVal, 'yVal'],
  ] as const)
    for (let i = 0; i < ys.length; i++)
      if ((ys[i] as number) < 0 || (ys[i] as number) >= k)
        throw new RangeError(`${fn}: ${name}[${i}]: expected a label in [0, ${k}), got ${ys[i]}`);
  const l2 = data.l2 ?? 1e-3;
  checkRange(l2, `${fn}: l2`, 0, Number.MAX_VALUE);
  const linear = data.model === undefined;
  const model = data.model ?? mlp({ sizes: [d, k], activation: 'identity' });
  if (model.inputSize !== d || model.outputSize !== k)
    throw new RangeError(
      `${fn}: model: expected ${d} inputs and ${k} outputs, got ${model.inputSize} and ${model.outputSize}`,
    );
  const seed = data.seed ?? 0;
  const m = yVal.length;
  const P = new Float64Array(n * k);
  const dy = new Float32Array(n * k);
  const gram = linear ? gramTop(xTrain, n, d, true) : 0;

  /** Softmax probabilities of the train rows at w (into P); returns per-row CE into `ce` when given. */
  const probs = (w: Float32Array, ce?: Float64Array): void => {
    const y = model.forward(w, xTrain, n);
    softmax(y, n, k, P);
    if (ce) for (let r = 0; r < n; r++) ce[r] = -Math.log(Math.max(P[r * k + (yTrain[r] as number)] as number, 1e-300));
  };
  const ce = new Float64Array(n);
  /** dy_r = coef_r·(p_r − onehot_r). */
  const residualRows = (coef: (r: number) => number): void => {
    for (let r = 0; r < n; r++) {
      const c = coef(r);
      const label = yTrain[r] as number;
      for (let j = 0; j < k; j++) dy[r * k + j] = c * ((P[r * k + j] as number) - (j === label ? 1 : 0));
    }
  };
  const addL2 = (w: Float32Array, out: Float32Array): void => {
    if (l2 > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + l2 * (w[i] as number);
  };
  const valLoss = (): Loss => {
    // A custom-free CE with mean over rows, for the outer HVP.
    return {
      name: 'crossEntropy',
      check() {},
      value: () => 0,
      grad: () => 0,
      hvp(y, batch, v, out) {
        const p = new Float64Array(batch * k);
        softmax(y, batch, k, p);
        for (let r = 0; r < batch; r++) {
          let pv = 0;
          for (let j = 0; j < k; j++) pv += (p[r * k + j] as number) * (v[r * k + j] as number);
          for (let j = 0; j < k; j++)
            out[r * k + j] = ((p[r * k + j] as number) * ((v[r * k + j] as number) - pv)) / batch;
        }
      },
    };
  };
  return {
    name: 'weightedLoss',
    wSize: model.size,
    lambdaSize: n,
    inner(w, lambda, gradW) {
      probs(w, ce);
      let loss = 0;
      for (let r = 0; r < n; r++) loss += sigmoid(lambda[r] as number) * (ce[r] as number);
      loss /= n;
      let sq = 0;
      for (let i = 0; i < w.length; i++) sq += (w[i] as number) ** 2;
      loss += 0.5 * l2 * sq;
      if (gradW) {
        residualRows((r) => sigmoid(lambda[r] as number) / n);
        gradW.set(model.vjp(w, xTrain, n, dy).params);
        addL2(w, gradW);
      }
      return loss;
    },
    innerGradLambda(w, lambda, out) {
      probs(w, ce);
      for (let r = 0; r < n; r++) {
        const s = sigmoid(lambda[r] as number);
        out[r] = (s * (1 - s) * (ce[r] as number)) / n;
      }
    },
    innerHvp(w, lambda, v, out) {
      const loss: Loss = {
        name: 'weightedCrossEntropy',
        check() {},
        value: () => 0,
        grad: () => 0,
        hvp(y, batch, tv, o) {
          const p = new Float64Array(batch * k);
          softmax(y, batch, k, p);
          for (let r = 0; r < batch; r++) {
            let pv = 0;
            for (let j = 0; j < k; j++) pv += (p[r * k + j] as number) * (tv[r * k + j] as number);
            const s = sigmoid(lambda[r] as number) / batch;
            for (let j = 0; j < k; j++) o[r * k + j] = s * (p[r * k + j] as number) * ((tv[r * k + j] as number) - pv);
          }
        },
      };
      out.set(model.hvp(w, xTrain, n, loss, v));
      addL2(v, out);
    },
    innerMixedVjp(w, lambda, v, out) {
      probs(w);
      const jv = model.jvp(w, xTrain, n, v);
      for (let r = 0; r < n; r++) {
        const s = sigmoid(lambda[r] as number);
        const label = yTrain[r] as number;
        let dot = 0;
        for (let j = 0; j < k; j++)
          dot += ((P[r * k + j] as number) - (j === label ? 1 : 0)) * (jv[r * k + j] as number);
        out[r] = (s * (1 - s) * dot) / n;
      }
    },
    innerMixedJvp(w, lambda, u, out) {
      probs(w);
      residualRows((r) => {
        const s = sigmoid(lambda[r] as number);
        return ((u[r] as number) * s * (1 - s)) / n;
      });
      out.set(model.vjp(w, xTrain, n, dy).params);
    },
    outer(w, _lambda, gradW, gradLambda) {
      const y = model.forward(w, xVal, m);
      const p = new Float64Array(m * k);
      softmax(y, m, k, p);
      let loss = 0;
      const g = gradW ? new Float32Array(m * k) : undefined;
      for (let r = 0; r < m; r++) {
        const label = yVal[r] as number;
        loss -= Math.log(Math.max(p[r * k + label] as number, 1e-300));
        if (g) for (let j = 0; j < k; j++) g[r * k + j] = ((p[r * k + j] as number) - (j === label ? 1 : 0)) / m;
      }
      if (gradW && g) gradW.set(model.vjp(w, xVal, m, g).params);
      gradLambda?.fill(0);
      return loss / m;
    },
    outerHvp(w, _lambda, v, out) {
      out.set(model.hvp(w, xVal, m, valLoss(), v));
    },
    outerMixedVjp(_w, _lambda, _v, out) {
      out.fill(0);
    },
    // Softmax cross-entropy has ‖∂²CE/∂y²‖ ≤ ½ and σ ≤ 1: for a linear model ‖∇²_w f‖ ≤ ½λmax([X 1]ᵀ[X 1]/n) + l2.
    ...(linear
      ? {
          curvatureBound: () => 0.5 * gram * GRAM_MARGIN + l2,
          // The fused kernel knows the linear softmax classifier only.
          fusedSweep(lambda: Float32Array, w0: Float32Array, steps: number, lr: number, forward: boolean) {
            const w = w0.slice();
            const grad = new Float32Array(n);
            const nw = model.size;
            const scratch = new Float32Array(forward ? n * nw : steps * nw);
            const value = getBackend().bilevelCleaningHypergrad(xTrain, yTrain, xVal, yVal, lambda, w, scratch, grad, {
              steps,
              lr,
              forward,
              classes: k,
              l2,
            });
            return { value, grad, w };
          },
        }
      : {}),
    initW: () => (linear ? new Float32Array(model.size) : model.init(seed)),
  };
}
