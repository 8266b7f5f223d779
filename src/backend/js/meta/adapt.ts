// Twin of native/core/meta/adapt.cc: adapt each task with inner steps and record its query loss
// after 0..steps steps (with lambda > 0, iMAML's curvature-aware proximal solve).
import { mlpParamCount, type NnKernels } from '../../kernels/nn.js';
import { TaskModel } from './model.js';
import { ProximalScratch, proximalSolve } from './proximal.js';
import { innerStep, type TaskSet, taskView } from './taskView.js';

export function metaAdaptEvaluate(
  nn: NnKernels,
  sizes: Int32Array,
  hidden: number,
  output: number,
  params: Float32Array,
  lr: Float32Array,
  loss: number,
  steps: number,
  lambda: number,
  ts: TaskSet,
  losses: Float32Array | null,
  adapted: Float32Array | null,
): void {
  const P = mlpParamCount(sizes);
  const model = new TaskModel(nn, sizes, hidden, output, loss);
  let a = new Float32Array(P);
  let b = new Float32Array(P);
  const g = new Float32Array(P);
  const inDim = sizes[0] as number;
  const outDim = sizes[sizes.length - 1] as number;
  const prox = lambda > 0 ? new ProximalScratch(P) : null;
  for (let t = 0; t < ts.tasks; t++) {
    const tv = taskView(inDim, outDim, loss, ts, t);
    if (prox) {
      const phi = proximalSolve(model, prox, params, tv, lr, lambda, steps, losses, t * (steps + 1));
      adapted?.set(phi, t * P);
      continue;
    }
    a.set(params);
    for (let j = 0; j <= steps; j++) {
      if (losses) losses[t * (steps + 1) + j] = model.loss(a, tv.qx, tv.qt, tv.qRows);
      if (j === steps) break;
      model.lossGrad(a, tv.sx, tv.st, tv.sRows, g);
      innerStep(lr, lambda, a, g, params, b);
      const tmp = a;
      a = b;
      b = tmp;
    }
    adapted?.set(a, t * P);
  }
}
