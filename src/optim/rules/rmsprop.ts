// RMSProp, matching torch.optim.RMSprop (defaults lr 1e-2, decay (torch's alpha) 0.99, eps 1e-8,
// momentum 0, centered false, weightDecay 0).

import type { RmspropScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, EMPTY, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface RmspropOptions {
  lr?: LearningRate;
  /** Decay of the squared-gradient average (torch's `alpha`, optax's `decay`). */
  decay?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

/** RMSProp (torch.optim.RMSprop). */
export function rmsprop(options?: RmspropOptions): Optimizer {
  const o = parseOptions('rmsprop', options, {
    lr: 1e-2 as LearningRate,
    decay: 0.99,
    eps: 1e-8,
    momentum: 0,
    centered: false,
    weightDecay: 0,
  });
  checkBeta(o.decay, 'rmsprop: decay');
  checkBeta(o.momentum, 'rmsprop: momentum');
  checkNonNegative(o.eps, 'rmsprop: eps');
  checkNonNegative(o.weightDecay, 'rmsprop: weightDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: RmspropScalars = { lr: 0, decay: o.decay, eps: o.eps, momentum: o.momentum, weightDecay: o.weightDecay };
  return defineRule(
    'rmsprop',
    (p) => {
      const buffers: Record<string, Float32Array> = { sqAvg: new Float32Array(p.length) };
      if (o.centered) buffers.gAvg = new Float32Array(p.length);
      if (o.momentum > 0) buffers.buf = new Float32Array(p.length);
      return newState(buffers);
    },
    (b, p, g, st) => {
      const n = p.length;
      sc.lr = lrAt(o.lr, st.count, 'rmsprop: lr');
      b.optimRmsprop(
        p,
        g,
        stateBuffer('rmsprop', st, 'sqAvg', n),
        o.centered ? stateBuffer('rmsprop', st, 'gAvg', n) : EMPTY,
        o.momentum > 0 ? stateBuffer('rmsprop', st, 'buf', n) : EMPTY,
        sc,
      );
    },
  );
}
