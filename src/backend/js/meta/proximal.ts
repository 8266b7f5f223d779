// Twin of native/core/meta/proximal.{h,cc}: iMAML's inner solver, gradient steps on
// F(φ) = L_support(φ) + λ/2·|φ − θ|² at rates min(lr, 1/(L + λ)), where L is the top Hessian
// eigenvalue magnitude of the task's support loss at θ from power iteration on Hessian-vector
// products. A fixed rate diverges once the curvature passes 2/lr − λ; this one descends F.
import type { TaskModel } from './model.js';
import { dotProduct, type TaskView } from './task_view.js';

/** Power iterations per task (from the support gradient). */
export const POWER_ITERATIONS = 8;

export class ProximalScratch {
  a: Float32Array;
  b: Float32Array;
  g: Float32Array;
  v: Float32Array;
  hv: Float32Array;
  constructor(readonly P: number) {
    this.a = new Float32Array(P);
    this.b = new Float32Array(P);
    this.g = new Float32Array(P);
    this.v = new Float32Array(P);
    this.hv = new Float32Array(P);
  }
}

/**
 * |H v| for the unit v after POWER_ITERATIONS power iterations on the support-loss Hessian at
 * phi from `start` (all-equal entries when start is zero or not finite).
 */
export function supportCurvature(
  model: TaskModel,
  s: ProximalScratch,
  phi: Float32Array,
  tv: TaskView,
  start: Float32Array,
): number {
  const P = s.P;
  const { v, hv } = s;
  const n = Math.sqrt(dotProduct(start, start, P));
  if (n > 0 && Number.isFinite(n)) {
    for (let i = 0; i < P; i++) v[i] = (start[i] as number) / n;
  } else {
    v.fill(1 / Math.sqrt(P));
  }
  let est = 0;
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    model.hvp(phi, tv.sx, tv.st, tv.sRows, v, hv);
    est = Math.sqrt(dotProduct(hv, hv, P));
    if (!(est > 0) || !Number.isFinite(est)) break;
    for (let i = 0; i < P; i++) v[i] = (hv[i] as number) / est;
  }
  return est;
}

/**
 * `steps` proximal steps from theta (lambda > 0) at rates min(lr_i, 1/(L + λ)); returns the final
 * iterate (a buffer of s). queryLosses (when not null) gets the query loss after 0..steps steps
 * at [offset, offset + steps].
 */
export function proximalSolve(
  model: TaskModel,
  s: ProximalScratch,
  theta: Float32Array,
  tv: TaskView,
  lr: Float32Array,
  lambda: number,
  steps: number,
  queryLosses: Float32Array | null,
  offset: number,
): Float32Array {
  const P = s.P;
  let cur = s.a;
  let next = s.b;
  const g = s.g;
  cur.set(theta);
  let cap = 0;
  const one = lr.length === 1;
  for (let j = 0; j <= steps; j++) {
    if (queryLosses) queryLosses[offset + j] = model.loss(cur, tv.qx, tv.qt, tv.qRows);
    if (j === steps) break;
    model.lossGrad(cur, tv.sx, tv.st, tv.sRows, g);
    if (j === 0) cap = Math.fround(1 / (supportCurvature(model, s, theta, tv, g) + lambda));
    for (let i = 0; i < P; i++) {
      const a = (one ? lr[0] : lr[i]) as number;
      // biome-ignore lint/complexity/useMathMinMax: a NaN cap must keep lr (Math.min gives NaN), as native does
      const r = cap < a ? cap : a;
      next[i] =
        (cur[i] as number) -
        r *
          Math.fround((g[i] as number) + Math.fround(lambda * Math.fround((cur[i] as number) - (theta[i] as number))));
    }
    const tmp = cur;
    cur = next;
    next = tmp;
  }
  return cur;
}
