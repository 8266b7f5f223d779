// The μP student shared by the MLP task families (μLO's optimizee, after Tensor Programs V Table 8
// as bentherien/mu_learned_optimization's src/mu_mlp.py sets it up): input and hidden weights
// ~ N(0, 1/fan_in), output weights 0, biases 0 (the reference draws biases N(0, 1)), and the output
// multiplied by 1/width (applied here through the loss: L(y / width)).
import { mlpLayout } from '../../nn/layout.js';
import type { Loss, ParamLayout } from '../../nn/types.js';
import { type Key, normal } from '../../random/index.js';
import { checkFloat32 } from '../../util/check.js';
import type { Task } from '../types.js';

/** The part of an `nn.mlp` a full-batch task needs. */
interface Student {
  readonly size: number;
  gradInto(p: Float32Array, x: Float32Array, batch: number, loss: Loss, grad: Float32Array): number;
}

/**
 * A task that trains `student` from `p0` on one fixed batch (x [points × inputs]) under `loss`;
 * `name` prefixes the argument errors. Its loss has no noise, so `fork` returns the task itself.
 */
export function fullBatchTask(
  name: string,
  student: Student,
  p0: Float32Array,
  x: Float32Array,
  points: number,
  loss: Loss,
): Task {
  const dim = student.size;
  const task: Task = {
    dim,
    init: () => p0.slice(),
    lossAndGrad(p: Float32Array) {
      checkFloat32(p, `${name} task lossAndGrad: params`, dim);
      const grad = new Float32Array(dim);
      const value = student.gradInto(p, x, points, loss, grad);
      return { value, grad };
    },
    fork: () => task,
  };
  return task;
}

/** μP initial parameters for the layout of an MLP: every matrix but the output one N(0, 1/fan_in). */
export function mupStudentInit(layout: ParamLayout, dim: number, key: Key): Float32Array {
  const p = new Float32Array(dim);
  const z = normal(key, dim);
  const last = layout.length - 2; // the output matrix stays 0
  for (let s = 0; s < last; s += 2) {
    const seg = layout[s];
    if (seg === undefined) continue;
    const std = 1 / Math.sqrt(seg.shape[0] as number);
    for (let i = seg.offset; i < seg.offset + seg.size; i++) p[i] = (z[i] as number) * std;
  }
  return p;
}

/** `inner` applied to the outputs times `scale` (μP's output multiplier): L(s·y), ∂/∂y = s·L'(s·y). */
export function scaledOutputLoss(inner: Loss, scale: number): Loss {
  let ys = new Float32Array(0);
  const scaled = (y: ArrayLike<number>): Float32Array => {
    if (ys.length !== y.length) ys = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) ys[i] = (y[i] as number) * scale;
    return ys;
  };
  return {
    name: `scaled(${inner.name})`,
    check: (outDim, batch) => inner.check(outDim, batch),
    value: (y, batch) => inner.value(scaled(y), batch),
    grad(y, batch, out) {
      const v = inner.grad(scaled(y), batch, out);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
      return v;
    },
  };
}

/** The layout of a student with `depth` hidden layers of `width`. */
export function studentLayout(inputs: number, width: number, depth: number, outputs: number): ParamLayout {
  return mlpLayout([inputs, ...new Array<number>(depth).fill(width), outputs]);
}
