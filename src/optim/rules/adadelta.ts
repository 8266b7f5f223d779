// AdaDelta, matching torch.optim.Adadelta (defaults lr 1.0, rho 0.9, eps 1e-6, weightDecay 0).
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface AdadeltaOptions {
  lr?: LearningRate;
  rho?: number;
  eps?: number;
  weightDecay?: number;
}

/** AdaDelta (torch.optim.Adadelta). */
export function adadelta(options?: AdadeltaOptions): Optimizer {
  const o = parseOptions('adadelta', options, { lr: 1.0 as LearningRate, rho: 0.9, eps: 1e-6, weightDecay: 0 });
  checkBeta(o.rho, 'adadelta: rho');
  checkNonNegative(o.eps, 'adadelta: eps');
  checkNonNegative(o.weightDecay, 'adadelta: weightDecay');
  return defineRule(
    'adadelta',
    (p) => newState({ sqAvg: new Float32Array(p.length), accDelta: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const n = p.length;
      b.optimAdadelta(
        p,
        g,
        stateBuffer('adadelta', st, 'sqAvg', n),
        stateBuffer('adadelta', st, 'accDelta', n),
        lrAt(o.lr, st.count, 'adadelta: lr'),
        o.rho,
        o.eps,
        o.weightDecay,
      );
    },
  );
}
