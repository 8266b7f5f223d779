// learned.tasks.mlpRegression: regress a random teacher network with a μP-parameterized ReLU MLP
// (μLO's optimizee, after Tensor Programs V Table 8 as bentherien/mu_learned_optimization's
// src/mu_mlp.py sets it up): input and hidden weights ~ N(0, 1/fan_in), output weights 0, biases 0
// (the reference draws biases N(0, 1)), and the output multiplied by 1/width. Each task draws a
// teacher (tanh MLP [inputs, 32, outputs], N(0, 1/fan_in) weights) and a training set of `points`
// inputs x ~ N(0, I); loss = mean squared error over the whole set, so value and gradient are
// exact. `layout` is the student's ParamLayout, which μLO needs for its per-tensor scaling.

import { mlpLayout } from '../../nn/layout.js';
import { mlp } from '../../nn/mlp.js';
import type { Loss, ParamLayout } from '../../nn/types.js';
import { type Key, normal, split } from '../../random/index.js';
import { checkInteger, checkKnownKeys } from '../../util/check.js';
import type { Task, TaskFamily } from '../types.js';
import { fullBatchTask, mupStudentInit } from './mup_student.js';

/** Options of `learned.tasks.mlpRegression`. */
export interface MlpRegressionOptions {
  /** Hidden width of the student (default 32). */
  width?: number;
  /** Hidden layers of the student (default 2). */
  depth?: number;
  /** Input dimension (default 8). */
  inputs?: number;
  /** Training points per task (default 128). */
  points?: number;
}

/** A family of teacher-regression tasks whose students share one layout. */
export interface MlpRegressionFamily extends TaskFamily {
  /** The student's parameter layout (dense{l}.w [in, out], dense{l}.b [out]). */
  readonly layout: ParamLayout;
  /** Hidden width of the student. */
  readonly width: number;
}

/** MSE on y·scale (μP's output multiplier) against `target`. */
function scaledMse(target: Float32Array, scale: number): Loss {
  const n = target.length;
  return {
    name: 'scaled-mse',
    check() {},
    value(y) {
      let s = 0;
      for (let i = 0; i < n; i++) s += ((y[i] as number) * scale - (target[i] as number)) ** 2;
      return s / n;
    },
    grad(y, _batch, out) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const r = (y[i] as number) * scale - (target[i] as number);
        s += r * r;
        out[i] = (2 * r * scale) / n;
      }
      return s / n;
    },
  };
}

/** Teacher-regression tasks with a μP student of the given width (see the file comment). */
export function mlpRegression(options: MlpRegressionOptions = {}): MlpRegressionFamily {
  checkKnownKeys(options, ['width', 'depth', 'inputs', 'points'], 'learned.tasks.mlpRegression');
  const width = options.width ?? 32;
  const depth = options.depth ?? 2;
  const inputs = options.inputs ?? 8;
  const points = options.points ?? 128;
  checkInteger(width, 'learned.tasks.mlpRegression: width', 1, 4096);
  checkInteger(depth, 'learned.tasks.mlpRegression: depth', 1, 16);
  checkInteger(inputs, 'learned.tasks.mlpRegression: inputs', 1, 4096);
  checkInteger(points, 'learned.tasks.mlpRegression: points', 1, 1 << 16);
  const sizes = [inputs, ...new Array<number>(depth).fill(width), 1];
  const student = mlp({ sizes, activation: 'relu' });
  const teacher = mlp({ sizes: [inputs, 32, 1], activation: 'tanh' });
  const layout = mlpLayout(sizes);
  const dim = student.size;

  function makeTask(key: Key): Task {
    const [kt, kx, kp] = split(key, 3) as [Key, Key, Key];
    const tw = normal(kt, teacher.size);
    const tl = mlpLayout([inputs, 32, 1]);
    for (const seg of tl)
      if (seg.shape.length === 2)
        for (let i = seg.offset; i < seg.offset + seg.size; i++)
          tw[i] = (tw[i] as number) / Math.sqrt(seg.shape[0] as number);
      else tw.fill(0, seg.offset, seg.offset + seg.size);
    const x = normal(kx, points * inputs);
    const y = teacher.forward(tw, x, points);
    const loss = scaledMse(y, 1 / width);
    const p0 = mupStudentInit(layout, dim, kp);
    return fullBatchTask('mlpRegression', student, p0, x, points, loss);
  }

  return {
    name: `mlpRegression[w${width},d${depth}]`,
    layout,
    width,
    sample(key: Key, n: number): Task[] {
      checkInteger(n, 'learned.tasks.mlpRegression.sample: n', 1, 1 << 20);
      return split(key, n).map(makeTask);
    },
  };
}
