// SGD with optional momentum / Nesterov, matching torch.optim.SGD (defaults lr 1e-3, momentum 0,
// dampening 0, weightDecay 0 coupled). With dampening 0 this equals optax.sgd(momentum, nesterov).
import { checkOptionsObject } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.sgd`, `optim.momentum`, `optim.nesterov`; a field left out takes the default of the reference implementation the rule follows. */
export interface SgdOptions {
  lr?: LearningRate;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** Stochastic gradient descent (torch.optim.SGD). `momentum > 0` keeps a momentum buffer. */
export function sgd(options?: SgdOptions): Optimizer {
  const o = ruleOptions(
    'sgd',
    options,
    { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
    { momentum: 'unit' },
  );
  if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
    throw new RangeError('sgd: nesterov needs momentum > 0 and dampening 0');
  const useMomentum = o.momentum > 0;
  return defineRule({
    name: 'sgd',
    lr: o.lr,
    buffers: { buf: useMomentum ? 0 : null },
    step: ({ b, p, g, lr, state }, { buf }) => {
      if (useMomentum)
        b.optimSgdMomentum(p, g, buf, lr, o.momentum, o.dampening, o.weightDecay, o.nesterov, state.count === 0);
      else b.optimSgd(p, g, lr, o.weightDecay);
    },
  });
}

/** SGD with heavy-ball momentum (default 0.9). */
export function momentum(options?: SgdOptions): Optimizer {
  checkOptionsObject('momentum', options);
  return sgd({ momentum: 0.9, ...options });
}

/** SGD with Nesterov momentum (default 0.9). */
export function nesterov(options?: SgdOptions): Optimizer {
  checkOptionsObject('nesterov', options);
  return sgd({ momentum: 0.9, nesterov: true, ...options });
}
