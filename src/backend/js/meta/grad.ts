// Twin of native/core/meta/grad.cc: the batched meta-gradient (MAML second/first order, Reptile,
// iMAML) with the inner-rate gradient for Meta-SGD. Tasks run one after another here.
import type { MetaKernels, MetaMode } from '../../kernels/meta.js';
import { checkMode, checkScalars, checkTasks, f32, optF32 } from './checks.js';
import { TaskModel } from './model.js';
import { ProximalScratch, proximalSolve } from './proximal.js';
import { addScaled, dotProduct, innerStep, type TaskSet, type TaskView, taskView } from './task_view.js';

class Scratch {
  iterates: Float32Array[] = [];
  grads: Float32Array[] = [];
  v: Float32Array;
  hv: Float32Array;
  r: Float32Array;
  p: Float32Array;
  prox: ProximalScratch;
  constructor(readonly P: number) {
    this.prox = new ProximalScratch(P);
    this.v = new Float32Array(P);
    this.hv = new Float32Array(P);
    this.r = new Float32Array(P);
    this.p = new Float32Array(P);
  }
  reserve(k: number): void {
    while (this.iterates.length < k + 1) this.iterates.push(new Float32Array(this.P));
    while (this.grads.length < k) this.grads.push(new Float32Array(this.P));
  }
}

function rate(lr: Float32Array, i: number): number {
  return (lr.length === 1 ? lr[0] : lr[i]) as number;
}

function conjugateGradient(
  model: TaskModel,
  s: Scratch,
  phi: Float32Array,
  tv: TaskView,
  lambda: number,
  steps: number,
  b: Float32Array,
  u: Float32Array,
): void {
  const P = s.P;
  const { r, p } = s;
  const ap = s.hv;
  // Truncated CG: a direction of non-positive curvature (H ≤ −λ there) stops the solve with the
  // iterate so far, or b (the first-order meta-gradient) at the first direction.
  u.fill(0);
  r.set(b);
  p.set(b);
  let rs = dotProduct(r, r, P);
  const inv = Math.fround(1 / lambda);
  for (let it = 0; it < steps && rs > 1e-30; it++) {
    model.hvp(phi, tv.sx, tv.st, tv.sRows, p, ap);
    for (let i = 0; i < P; i++) ap[i] = (p[i] as number) + inv * (ap[i] as number);
    const pap = dotProduct(p, ap, P);
    if (!(pap > 0)) {
      if (it === 0) u.set(b);
      break;
    }
    const alpha = Math.fround(rs / pap);
    for (let i = 0; i < P; i++) {
      u[i] = (u[i] as number) + alpha * (p[i] as number);
      r[i] = (r[i] as number) - alpha * (ap[i] as number);
    }
    const rsNew = dotProduct(r, r, P);
    const beta = Math.fround(rsNew / rs);
    for (let i = 0; i < P; i++) p[i] = (r[i] as number) + beta * (p[i] as number);
    rs = rsNew;
  }
}

function taskMetaGrad(
  model: TaskModel,
  s: Scratch,
  params: Float32Array,
  tv: TaskView,
  lr: Float32Array,
  steps: number,
  lambda: number,
  mode: MetaMode,
  cgSteps: number,
  g: Float32Array,
  lrG: Float32Array | null,
): [number, number] {
  const P = s.P;
  lrG?.fill(0);
  if (mode === 'implicit') {
    const pre = model.loss(params, tv.qx, tv.qt, tv.qRows);
    const adapted = proximalSolve(model, s.prox, params, tv, lr, lambda, steps, null, 0);
    const post = model.lossGrad(adapted, tv.qx, tv.qt, tv.qRows, s.v);
    conjugateGradient(model, s, adapted, tv, lambda, cgSteps, s.v, g);
    return [pre, post];
  }
  s.reserve(steps);
  const phi = s.iterates;
  (phi[0] as Float32Array).set(params);
  const pre = model.loss(params, tv.qx, tv.qt, tv.qRows);
  for (let j = 0; j < steps; j++) {
    const gj = s.grads[j] as Float32Array;
    model.lossGrad(phi[j] as Float32Array, tv.sx, tv.st, tv.sRows, gj);
    innerStep(lr, lambda, phi[j] as Float32Array, gj, params, phi[j + 1] as Float32Array);
  }
  const adapted = phi[steps] as Float32Array;
  if (mode === 'reptile') {
    const post = model.loss(adapted, tv.qx, tv.qt, tv.qRows);
    for (let i = 0; i < P; i++) g[i] = (params[i] as number) - (adapted[i] as number);
    return [pre, post];
  }
  const v = s.v;
  const post = model.lossGrad(adapted, tv.qx, tv.qt, tv.qRows, v);
  const hv = s.hv;
  const w = s.r;
  for (let j = steps - 1; j >= 0; j--) {
    const gj = s.grads[j] as Float32Array;
    if (lrG) {
      if (lr.length === 1) lrG[0] = (lrG[0] as number) - dotProduct(v, gj, P);
      else for (let i = 0; i < P; i++) lrG[i] = (lrG[i] as number) - (v[i] as number) * (gj[i] as number);
    }
    if (mode === 'secondOrder') {
      for (let i = 0; i < P; i++) w[i] = rate(lr, i) * (v[i] as number);
      model.hvp(phi[j] as Float32Array, tv.sx, tv.st, tv.sRows, w, hv);
      for (let i = 0; i < P; i++) v[i] = (v[i] as number) - (hv[i] as number);
    }
  }
  g.set(v);
  return [pre, post];
}

export const metaGradBatch: MetaKernels['metaGradBatch'] = (
  sizes,
  params,
  lr,
  supportX,
  supportY,
  queryX,
  queryY,
  grad,
  lrGrad,
  lossPre,
  lossPost,
  scalars,
) => {
  const P = checkScalars(sizes, scalars, 1);
  checkMode(scalars);
  const { tasks, supportRows, queryRows } = scalars;
  const ts: TaskSet = { tasks, supportRows, queryRows, supportX, supportY, queryX, queryY };
  checkTasks(sizes, P, scalars, params, lr, ts);
  if (queryRows === 0 && scalars.mode !== 'reptile')
    throw new RangeError("scalars.queryRows: expected >= 1 (the meta-gradient is the query loss's)");
  f32(grad, 'grad', P);
  const lg = optF32(lrGrad, 'lrGrad', lr.length);
  const pre = optF32(lossPre, 'lossPre', tasks);
  const post = optF32(lossPost, 'lossPost', tasks);

  const T = tasks;
  const L = lr.length;
  const { loss, steps, mode, cgSteps } = scalars;
  const lambda = Math.fround(scalars.lambda);
  const model = new TaskModel(sizes, scalars.hidden, scalars.output, loss);
  const s = new Scratch(P);
  const g = new Float32Array(P);
  const lrG = lg ? new Float32Array(L) : null;
  const invT = Math.fround(1 / T);
  grad.fill(0);
  lg?.fill(0);
  const inDim = sizes[0] as number;
  const outDim = sizes[sizes.length - 1] as number;
  for (let t = 0; t < T; t++) {
    const tv = taskView(inDim, outDim, loss, ts, t);
    const [lossBefore, lossAfter] = taskMetaGrad(model, s, params, tv, lr, steps, lambda, mode, cgSteps, g, lrG);
    if (pre) pre[t] = lossBefore;
    if (post) post[t] = lossAfter;
    addScaled(invT, g, 0, grad, P);
    if (lg && lrG) addScaled(invT, lrG, 0, lg, L);
  }
};
