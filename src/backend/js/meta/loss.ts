// Twin of native/core/meta/loss.cc: task losses over a model output y [rows × out] (read from
// y[yOff ..]) with their gradient dL/dy and Hessian-vector product (d²L/dy²)·ydot.
//   mse:          mean over rows and outputs of (y − t)²
//   crossEntropy: mean over rows of −log softmax(y)[label]
import type { MetaLossKind } from '../../kernels/meta.js';

/** One task's targets: values [rows × out] for mse, labels [rows] for cross-entropy. */
export interface Targets {
  values: Float32Array | null;
  labels: Int32Array | null;
}

const p = new Float64Array(1024);

function softmaxRow(y: Float32Array, off: number, out: number): number {
  let m = y[off] as number;
  for (let j = 1; j < out; j++) m = Math.max(m, y[off + j] as number);
  let s = 0;
  for (let j = 0; j < out; j++) s += Math.exp((y[off + j] as number) - m);
  for (let j = 0; j < out; j++) p[j] = Math.fround(Math.exp((y[off + j] as number) - m) / s);
  return m + Math.log(s);
}

/** Loss value; gy (when not null) gets dL/dy. */
export function lossValueGrad(
  loss: MetaLossKind,
  y: Float32Array,
  yOff: number,
  t: Targets,
  rows: number,
  out: number,
  gy: Float32Array | null,
): number {
  if (rows === 0) return 0;
  let total = 0;
  if (loss === 'mse') {
    const n = rows * out;
    const scale = Math.fround(2 / n);
    const v = t.values as Float32Array;
    for (let i = 0; i < n; i++) {
      const d = Math.fround((y[yOff + i] as number) - (v[i] as number));
      total += d * d;
      if (gy) gy[i] = scale * d;
    }
    return total / n;
  }
  const inv = Math.fround(1 / rows);
  const labels = t.labels as Int32Array;
  for (let r = 0; r < rows; r++) {
    const lse = softmaxRow(y, yOff + r * out, out);
    const label = labels[r] as number;
    total += lse - (y[yOff + r * out + label] as number);
    if (gy) for (let j = 0; j < out; j++) gy[r * out + j] = inv * Math.fround((p[j] as number) - (j === label ? 1 : 0));
  }
  return total / rows;
}

/** hy = (d²L/dy²)·ydot, with ydot read from ydot[dOff ..]. */
export function lossHessianVector(
  loss: MetaLossKind,
  y: Float32Array,
  yOff: number,
  rows: number,
  out: number,
  ydot: Float32Array,
  dOff: number,
  hy: Float32Array,
): void {
  if (loss === 'mse') {
    const n = rows * out;
    const scale = Math.fround(2 / n);
    for (let i = 0; i < n; i++) hy[i] = scale * (ydot[dOff + i] as number);
    return;
  }
  const inv = Math.fround(1 / rows);
  for (let r = 0; r < rows; r++) {
    softmaxRow(y, yOff + r * out, out);
    let pd = 0;
    for (let j = 0; j < out; j++) pd += (p[j] as number) * (ydot[dOff + r * out + j] as number);
    pd = Math.fround(pd);
    for (let j = 0; j < out; j++)
      hy[r * out + j] = inv * Math.fround((p[j] as number) * Math.fround((ydot[dOff + r * out + j] as number) - pd));
  }
}
