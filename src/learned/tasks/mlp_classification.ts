// learned.tasks.mlpClassification: classify Gaussian clusters with a μP ReLU MLP (the student of
// mup_student.ts, output × 1/width). Each task draws `classes` centers ~ N(0, spread²·I) in
// `inputs` dimensions and `points` labelled points x = center[y] + N(0, I), y uniform; loss = mean
// softmax cross-entropy over the whole set (value and gradient exact, no noise).

import { crossEntropy } from '../../nn/losses.js';
import { mlp } from '../../nn/mlp.js';
import type { ParamLayout } from '../../nn/types.js';
import { type Key, normal, split, uniform } from '../../random/index.js';
import { checkInteger, checkKnownKeys, checkRange } from '../../util/check.js';
import type { Task, TaskFamily } from '../types.js';
import { fullBatchTask, mupStudentInit, scaledOutputLoss, studentLayout } from './mup_student.js';

/** Options of `learned.tasks.mlpClassification`. */
export interface MlpClassificationOptions {
  /** Hidden width of the student (default 32). */
  width?: number;
  /** Hidden layers of the student (default 2). */
  depth?: number;
  /** Input dimension (default 8). */
  inputs?: number;
  /** Number of clusters = classes (default 4). */
  classes?: number;
  /** Std of the cluster centers (default 1.5; the points have unit std around them). */
  spread?: number;
  /** Labelled points per task (default 128). */
  points?: number;
}

/** A family of Gaussian-cluster classification tasks whose students share one layout. */
export interface MlpClassificationFamily extends TaskFamily {
  /** The student's parameter layout (dense{l}.w [in, out], dense{l}.b [out]). */
  readonly layout: ParamLayout;
  /** Hidden width of the student. */
  readonly width: number;
}

/** Gaussian-cluster classification tasks with a μP student (see the file comment). */
export function mlpClassification(options: MlpClassificationOptions = {}): MlpClassificationFamily {
  const fn = 'learned.tasks.mlpClassification';
  checkKnownKeys(options, ['width', 'depth', 'inputs', 'classes', 'spread', 'points'], fn);
  const width = options.width ?? 32;
  const depth = options.depth ?? 2;
  const inputs = options.inputs ?? 8;
  const classes = options.classes ?? 4;
  const spread = options.spread ?? 1.5;
  const points = options.points ?? 128;
  checkInteger(width, `${fn}: width`, 1, 4096);
  checkInteger(depth, `${fn}: depth`, 1, 16);
  checkInteger(inputs, `${fn}: inputs`, 1, 4096);
  checkInteger(classes, `${fn}: classes`, 2, 1024);
  checkRange(spread, `${fn}: spread`, 0, 1e3);
  checkInteger(points, `${fn}: points`, 1, 1 << 16);
  const student = mlp({ sizes: [inputs, ...new Array<number>(depth).fill(width), classes], activation: 'relu' });
  const layout = studentLayout(inputs, width, depth, classes);
  const dim = student.size;

  function makeTask(key: Key): Task {
    const [kc, ky, kx, kp] = split(key, 4) as [Key, Key, Key, Key];
    const centers = normal(kc, classes * inputs);
    const u = uniform(ky, points);
    const labels = Int32Array.from(u, (v) => Math.min(classes - 1, Math.floor(v * classes)));
    const x = normal(kx, points * inputs);
    for (let b = 0; b < points; b++) {
      const c = labels[b] as number;
      for (let j = 0; j < inputs; j++)
        x[b * inputs + j] = (x[b * inputs + j] as number) + spread * (centers[c * inputs + j] as number);
    }
    const loss = scaledOutputLoss(crossEntropy(labels, classes), 1 / width);
    const p0 = mupStudentInit(layout, dim, kp);
    return fullBatchTask('mlpClassification', student, p0, x, points, loss);
  }

  return {
    name: `mlpClassification[w${width},d${depth},c${classes}]`,
    layout,
    width,
    sample(key: Key, n: number): Task[] {
      checkInteger(n, `${fn}.sample: n`, 1, 1 << 20);
      return split(key, n).map(makeTask);
    },
  };
}
