// SWATS (Keskar & Socher, arXiv 1712.07628, Algorithm 1), from the paper: Adam until the
// projected SGD step size estimate settles, then SGD with momentum at that step size. Defaults
// lr 1e-3, b1 0.9, b2 0.999, eps 1e-8 (Adam's), switchEps 1e-9 (the paper's ε for the test
// |λ_k/(1−β2^k) − γ_k| < ε, absolute), coupled weightDecay 0; one phase for the whole buffer.

import type { SwatsScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface SwatsOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  switchEps?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** SWATS: switches from Adam to SGD. state.scalars.phase is 0 (Adam) or 1 (SGD). */
export function swats(options?: SwatsOptions): Optimizer {
  const o = parseOptions('swats', options, {
    lr: 1e-3 as LearningRate,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    switchEps: 1e-9,
    weightDecay: 0,
    nesterov: false,
  });
  checkBeta(o.b1, 'swats: b1');
  checkBeta(o.b2, 'swats: b2');
  checkNonNegative(o.eps, 'swats: eps');
  checkNonNegative(o.switchEps, 'swats: switchEps');
  checkNonNegative(o.weightDecay, 'swats: weightDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: SwatsScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, weightDecay: o.weightDecay };
  const dots = new Float64Array(2);
  return defineRule(
    'swats',
    (p) =>
      newState(
        { m: new Float32Array(p.length), a: new Float32Array(p.length), buf: new Float32Array(p.length) },
        { phase: 0, lambda: 0, sgdLr: 0 },
      ),
    (b, p, g, st) => {
      const n = p.length;
      if (st.scalars.phase === 1) {
        // v ← β1·v + g;  p ← p − (1−β1)·Λ·v
        const sgdLr = (1 - o.b1) * (st.scalars.sgdLr ?? 0);
        b.optimSgdMomentum(p, g, stateBuffer('swats', st, 'buf', n), sgdLr, o.b1, 0, o.weightDecay, o.nesterov, false);
        return;
      }
      const k = st.count + 1;
      const lr = lrAt(o.lr, st.count, 'swats: lr');
      const bc2 = 1 - o.b2 ** k;
      const stepSize = (lr * Math.sqrt(bc2)) / (1 - o.b1 ** k);
      const m = stateBuffer('swats', st, 'm', n);
      sc.stepSize = stepSize;
      b.optimSwatsAdam(p, g, m, stateBuffer('swats', st, 'a', n), sc, dots);
      const [pp, pg] = dots as unknown as [number, number];
      if (pg !== 0) {
        const gamma = pp / -pg;
        const lambda = o.b2 * (st.scalars.lambda ?? 0) + (1 - o.b2) * gamma;
        st.scalars.lambda = lambda;
        if (k > 1 && Math.abs(lambda / bc2 - gamma) < o.switchEps) {
          st.scalars.phase = 1;
          st.scalars.sgdLr = lambda / bc2;
        }
      }
    },
  );
}
