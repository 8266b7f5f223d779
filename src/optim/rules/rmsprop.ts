// RMSProp, matching torch.optim.RMSprop (defaults lr 1e-2, decay (torch's alpha) 0.99, eps 1e-8,
// momentum 0, centered false, weightDecay 0).

import type { RmspropScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.rmsprop`; a field left out takes the default of the reference implementation the rule follows. */
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
  const o = ruleOptions('rmsprop', options, {
    lr: 1e-2,
    decay: 0.99,
    eps: 1e-8,
    momentum: 0,
    centered: false,
    weightDecay: 0,
  });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: RmspropScalars = { lr: 0, decay: o.decay, eps: o.eps, momentum: o.momentum, weightDecay: o.weightDecay };
  return defineRule({
    name: 'rmsprop',
    lr: o.lr,
    buffers: { sqAvg: 0, gAvg: o.centered ? 0 : null, buf: o.momentum > 0 ? 0 : null },
    step: ({ b, p, g, lr }, { sqAvg, gAvg, buf }) => {
      sc.lr = lr;
      b.optimRmsprop(p, g, sqAvg, gAvg, buf, sc);
    },
  });
}
