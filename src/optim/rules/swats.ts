// SWATS (Keskar & Socher, arXiv 1712.07628, Algorithm 1), from the paper: Adam until the
// projected SGD step size estimate settles, then SGD with momentum at that step size. Defaults
// lr 1e-3, b1 0.9, b2 0.999, eps 1e-8 (Adam's), switchEps 1e-9 (the paper's ε for the test
// |λ_k/(1−β2^k) − γ_k| < ε, absolute), coupled weightDecay 0; one phase for the whole buffer.

import type { SwatsScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.swats`; a field left out takes the default of the reference implementation the rule follows. */
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
  const o = ruleOptions('swats', options, {
    lr: 1e-3,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-8,
    switchEps: 1e-9,
    weightDecay: 0,
    nesterov: false,
  });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: SwatsScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, weightDecay: o.weightDecay };
  const dots = new Float64Array(2);
  return defineRule({
    name: 'swats',
    lr: o.lr,
    buffers: { m: 0, a: 0, buf: 0 },
    scalars: { phase: 0, lambda: 0, sgdLr: 0 },
    step: ({ b, p, g, lr, t, state }, { m, a, buf }) => {
      const s = state.scalars;
      if (s.phase === 1) {
        // v ← β1·v + g;  p ← p − (1−β1)·Λ·v
        const sgdLr = (1 - o.b1) * (s.sgdLr ?? 0);
        b.optimSgdMomentum(p, g, buf, sgdLr, o.b1, 0, o.weightDecay, o.nesterov, false);
        return;
      }
      const bc2 = 1 - o.b2 ** t;
      sc.stepSize = (lr * Math.sqrt(bc2)) / (1 - o.b1 ** t);
      b.optimSwatsAdam(p, g, m, a, sc, dots);
      const [pp, pg] = dots as unknown as [number, number];
      if (pg !== 0) {
        const gamma = pp / -pg;
        const lambda = o.b2 * (s.lambda ?? 0) + (1 - o.b2) * gamma;
        s.lambda = lambda;
        if (t > 1 && Math.abs(lambda / bc2 - gamma) < o.switchEps) {
          s.phase = 1;
          s.sgdLr = lambda / bc2;
        }
      }
    },
  });
}
