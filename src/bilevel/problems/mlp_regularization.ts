// Per-layer L2 strengths of an MLP as hyperparameters (λ_l = log strength of layer l's weights):
//   f(w, λ) = L_train(w) + Σ_l exp(λ_l)·‖W_l‖²      (train rows; biases are not penalized)
//   F(w, λ) = L_val(w)                               (validation rows)
// L is the mean squared error (Float32Array targets) or softmax cross-entropy (Int32Array labels),
// both from nn.losses. The products come from the model: ∇²_w f·v = the model's exact R-operator
// HVP of L_train + 2e^{λ_l}v on layer l's weights; the penalty is separable, so the mixed product
// is ∂²f/∂λ_l∂w_i = 2e^{λ_l}w_i for i in layer l's weight segment, 0 elsewhere.
import { crossEntropy, mse } from '../../nn/losses.js';
import { mlp } from '../../nn/mlp.js';
import type { Loss, Model } from '../../nn/types.js';
import { checkFloat32, checkInteger } from '../../util/check.js';
import type { BilevelProblem } from '../types.js';

/** Data of the per-layer L2 bilevel problem (`bilevel.problems.mlpRegularization`). */
export interface MlpRegularizationData {
  /** Training inputs [n × d], row-major. */
  xTrain: Float32Array;
  /** Training targets [n × out] (MSE) or labels [n] (cross-entropy). */
  yTrain: Float32Array | Int32Array;
  /** Validation inputs [m × d]. */
  xVal: Float32Array;
  /** Validation targets, of yTrain's kind. */
  yVal: Float32Array | Int32Array;
  /** The network (default nn.mlp({ sizes: [d, 16, out], activation: 'tanh' }), out = 1 or `classes`). */
  model?: Model;
  /** Number of classes when the targets are labels (default: max label + 1). */
  classes?: number;
  /** Seed of model.init for the inner starting point (default 0). */
  seed?: number;
}

/** One penalized block: a weight segment of the layout and its hyperparameter index. */
interface Block {
  offset: number;
  size: number;
}

/**
 * The per-layer weight-decay problem: λ has one entry per weight segment of the model's layout
 * (segments named `*.w`: `dense0.w`, `dense1.w`, …, in layout order). Data are kept by reference.
 *
 * @throws TypeError/RangeError naming the argument for mismatched shapes, non-finite data, labels
 *   out of range or a model without weight segments.
 */
export function mlpRegularization(data: MlpRegularizationData): BilevelProblem {
  const fn = 'bilevel.problems.mlpRegularization';
  if (typeof data !== 'object' || data === null) throw new TypeError(`${fn}: expected { xTrain, yTrain, xVal, yVal }`);
  const { xTrain, yTrain, xVal, yVal } = data;
  const labels = yTrain instanceof Int32Array;
  if (!labels && !(yTrain instanceof Float32Array))
    throw new TypeError(`${fn}: yTrain: expected a Float32Array of targets or an Int32Array of labels`);
  if (labels !== yVal instanceof Int32Array)
    throw new TypeError(`${fn}: yVal: expected the same kind as yTrain (${labels ? 'Int32Array' : 'Float32Array'})`);
  let classes = 0;
  if (labels) {
    let top = 0;
    for (let i = 0; i < yTrain.length; i++) top = Math.max(top, yTrain[i] as number);
    classes = data.classes ?? top + 1;
    checkInteger(classes, `${fn}: classes`, 2);
  } else if (data.classes !== undefined) throw new RangeError(`${fn}: classes: only for Int32Array labels`);
  const model = data.model;
  checkFloat32(xTrain, `${fn}: xTrain`);
  checkFloat32(xVal, `${fn}: xVal`);
  // Widths from the model when given; else one output (regression) or one per class (labels).
  const out = model ? model.outputSize : labels ? classes : 1;
  const perRow = labels ? 1 : out;
  const nTrain = yTrain.length / perRow;
  const nVal = yVal.length / perRow;
  if (!Number.isInteger(nTrain) || nTrain < 1)
    throw new RangeError(`${fn}: yTrain: expected rows × ${perRow} entries (at least one row), got ${yTrain.length}`);
  if (!Number.isInteger(nVal) || nVal < 1)
    throw new RangeError(`${fn}: yVal: expected rows × ${perRow} entries (at least one row), got ${yVal.length}`);
  const d = model ? model.inputSize : xTrain.length / nTrain;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${fn}: xTrain: cannot infer the input width (got ${d})`);
  if (labels && out !== classes)
    throw new RangeError(`${fn}: model: expected ${classes} outputs (one per class), got ${out}`);
  for (const [x, rows, name] of [
    [xTrain, nTrain, 'xTrain'],
    [xVal, nVal, 'xVal'],
  ] as const)
    if (x.length !== rows * d)
      throw new RangeError(`${fn}: ${name}: expected ${rows}·${d} = ${rows * d} entries, got ${x.length}`);
  for (const [a, name] of [
    [xTrain, 'xTrain'],
    [yTrain, 'yTrain'],
    [xVal, 'xVal'],
    [yVal, 'yVal'],
  ] as const)
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i])) throw new RangeError(`${fn}: ${name}[${i}]: expected a finite number, got ${a[i]}`);
  if (labels)
    for (const [ys, name] of [
      [yTrain, 'yTrain'],
      [yVal, 'yVal'],
    ] as const)
      for (let i = 0; i < ys.length; i++)
        if ((ys[i] as number) < 0 || (ys[i] as number) >= classes)
          throw new RangeError(`${fn}: ${name}[${i}]: expected a label in [0, ${classes}), got ${ys[i]}`);
  const net = model ?? mlp({ sizes: [d, 16, out], activation: 'tanh' });
  const blocks: Block[] = net.layout
    .filter((s) => s.name.endsWith('.w'))
    .map((s) => ({ offset: s.offset, size: s.size ?? s.shape.reduce((a, c) => a * c, 1) }));
  if (blocks.length === 0) throw new RangeError(`${fn}: model: its layout has no weight segments ('*.w')`);
  const seed = data.seed ?? 0;
  checkInteger(seed, `${fn}: seed`);
  const lossOf = (y: Float32Array | Int32Array): Loss => (y instanceof Int32Array ? crossEntropy(y, classes) : mse(y));
  const trainLoss = lossOf(yTrain);
  const valLoss = lossOf(yVal);
  const dyTrain = new Float32Array(nTrain * out);
  const dyVal = new Float32Array(nVal * out);

  /** Adds 2e^{λ_l}·src_i over each block into `out`. */
  const addPenaltyGrad = (lambda: Float32Array, src: Float32Array, dst: Float32Array): void => {
    blocks.forEach((b, l) => {
      const c = 2 * Math.exp(lambda[l] as number);
      for (let i = b.offset; i < b.offset + b.size; i++) dst[i] = (dst[i] as number) + c * (src[i] as number);
    });
  };
  /** Σ over each block of a_i·b_i, per block (float64). */
  const blockDots = (a: Float32Array, b2: Float32Array, fnOut: (l: number, dot: number) => void): void => {
    blocks.forEach((b, l) => {
      let s = 0;
      for (let i = b.offset; i < b.offset + b.size; i++) s += (a[i] as number) * (b2[i] as number);
      fnOut(l, s);
    });
  };
  /** Data loss and (when gradW is given) its gradient, on train or validation rows. */
  const dataLoss = (
    w: Float32Array,
    x: Float32Array,
    rows: number,
    loss: Loss,
    dy: Float32Array,
    gradW?: Float32Array,
  ): number => {
    const y = net.forward(w, x, rows);
    if (!gradW) return loss.value(y, rows);
    const value = loss.grad(y, rows, dy);
    gradW.set(net.vjp(w, x, rows, dy).params);
    return value;
  };

  return {
    name: 'mlpRegularization',
    wSize: net.size,
    lambdaSize: blocks.length,
    inner(w, lambda, gradW) {
      let value = dataLoss(w, xTrain, nTrain, trainLoss, dyTrain, gradW);
      blockDots(w, w, (l, sq) => {
        value += Math.exp(lambda[l] as number) * sq;
      });
      if (gradW) addPenaltyGrad(lambda, w, gradW);
      return value;
    },
    innerGradLambda(w, lambda, o) {
      blockDots(w, w, (l, sq) => {
        o[l] = Math.exp(lambda[l] as number) * sq;
      });
    },
    innerHvp(w, lambda, v, o) {
      o.set(net.hvp(w, xTrain, nTrain, trainLoss, v));
      addPenaltyGrad(lambda, v, o);
    },
    innerMixedVjp(w, lambda, v, o) {
      blockDots(w, v, (l, dot) => {
        o[l] = 2 * Math.exp(lambda[l] as number) * dot;
      });
    },
    innerMixedJvp(w, lambda, u, o) {
      o.fill(0);
      blocks.forEach((b, l) => {
        const c = 2 * Math.exp(lambda[l] as number) * (u[l] as number);
        for (let i = b.offset; i < b.offset + b.size; i++) o[i] = c * (w[i] as number);
      });
    },
    outer(w, _lambda, gradW, gradLambda) {
      gradLambda?.fill(0);
      return dataLoss(w, xVal, nVal, valLoss, dyVal, gradW);
    },
    outerHvp(w, _lambda, v, o) {
      o.set(net.hvp(w, xVal, nVal, valLoss, v));
    },
    outerMixedVjp(_w, _lambda, _v, o) {
      o.fill(0);
    },
    initW: () => net.init(seed),
  };
}
