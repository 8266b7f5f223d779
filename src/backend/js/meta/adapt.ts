// Twin of native/core/meta/adapt.cc: adapt each task with inner steps and record its query loss
// after 0..steps steps (with lambda > 0, iMAML's curvature-aware proximal solve).
import type { MetaKernels } from '../../kernels/meta.js';
import { checkScalars, checkTasks, optF32 } from './checks.js';
import { TaskModel } from './model.js';
import { ProximalScratch, proximalSolve } from './proximal.js';
import { innerStep, type TaskSet, taskView } from './task_view.js';

export const metaAdaptEvaluate: MetaKernels['metaAdaptEvaluate'] = (
  sizes,
  params,
  lr,
  supportX,
  supportY,
  queryX,
  queryY,
  lossesOut,
  adaptedOut,
  scalars,
) => {
  const P = checkScalars(sizes, scalars, 0);
  const { tasks, supportRows, queryRows, loss, steps } = scalars;
  const ts: TaskSet = { tasks, supportRows, queryRows, supportX, supportY, queryX, queryY };
  checkTasks(sizes, P, scalars, params, lr, ts);
  const losses = optF32(lossesOut, 'losses', tasks * (steps + 1));
  if (losses && queryRows === 0) throw new RangeError('losses: needs scalars.queryRows >= 1');
  const adapted = optF32(adaptedOut, 'adapted', tasks * P);

  const lambda = Math.fround(scalars.lambda);
  const model = new TaskModel(sizes, scalars.hidden, scalars.output, loss);
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
};
