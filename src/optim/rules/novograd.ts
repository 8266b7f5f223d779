// NovoGrad with layer-wise second moments, matching optax.novograd / scale_by_novograd (defaults
// b1 0.9, b2 0.25, eps 1e-6 outside the sqrt, weightDecay 0; optax has no default lr, 1e-3 here).
// One second moment per ParamLayout segment (the whole buffer when no layout is given).

import type { NovogradScalars } from '../../backend/kernels/optim.js';
import { segmentTable } from '../internal.js';
import type { LearningRate, Optimizer, ParamLayout } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.novograd`; a field left out takes the default of the reference implementation the rule follows. */
export interface NovogradOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  /** Segments with their own second moment (a model's layout). */
  layout?: ParamLayout;
}

/** NovoGrad (Ginsburg et al. 2019), optax's form. */
export function novograd(options?: NovogradOptions): Optimizer {
  const o = ruleOptions('novograd', options, {
    lr: 1e-3,
    b1: 0.9,
    b2: 0.25,
    eps: 1e-6,
    weightDecay: 0,
    layout: undefined,
  });
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: NovogradScalars = { lr: 0, b1: o.b1, b2: o.b2, eps: o.eps, weightDecay: o.weightDecay, first: true };
  let table: Uint32Array | undefined;
  const segments = (n: number) => {
    if (!table || (table[table.length - 2] as number) + (table[table.length - 1] as number) !== n)
      table = segmentTable('novograd', o.layout, n);
    return table;
  };
  return defineRule({
    name: 'novograd',
    lr: o.lr,
    buffers: { m: 0 },
    // One second moment per segment, in double.
    init: (state, p) => {
      state.buffers.nu = new Float64Array(segments(p.length).length / 2);
    },
    step: ({ b, p, g, lr, t, state }, { m }) => {
      const seg = segments(p.length);
      const nu = state.buffers.nu;
      if (!(nu instanceof Float64Array) || nu.length !== seg.length / 2)
        throw new RangeError('novograd: state.buffers.nu: does not match the layout');
      sc.lr = lr;
      sc.first = t === 1;
      b.optimNovograd(p, g, m, nu, seg, sc);
    },
  });
}
