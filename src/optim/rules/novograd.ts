// NovoGrad with layer-wise second moments, matching optax.novograd / scale_by_novograd (defaults
// b1 0.9, b2 0.25, eps 1e-6 outside the sqrt, weightDecay 0; optax has no default lr, 1e-3 here).
// One second moment per ParamLayout segment (the whole buffer when no layout is given).

import type { NovogradScalars } from '../../backend/kernels/optim.js';
import { checkBeta, checkNonNegative, lrAt, newState, parseOptions, segmentTable, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer, ParamLayout } from '../types.js';
import { defineRule } from './define.js';

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
  const o = parseOptions('novograd', options, {
    lr: 1e-3 as LearningRate,
    b1: 0.9,
    b2: 0.25,
    eps: 1e-6,
    weightDecay: 0,
    layout: undefined as ParamLayout | undefined,
  });
  checkBeta(o.b1, 'novograd: b1');
  checkBeta(o.b2, 'novograd: b2');
  checkNonNegative(o.eps, 'novograd: eps');
  checkNonNegative(o.weightDecay, 'novograd: weightDecay');
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: NovogradScalars = { lr: 0, b1: o.b1, b2: o.b2, eps: o.eps, weightDecay: o.weightDecay, first: true };
  let table: Uint32Array | undefined;
  const segments = (n: number) => {
    if (!table || (table[table.length - 2] as number) + (table[table.length - 1] as number) !== n)
      table = segmentTable('novograd', o.layout, n);
    return table;
  };
  return defineRule(
    'novograd',
    (p) => newState({ m: new Float32Array(p.length), nu: new Float64Array(segments(p.length).length / 2) }),
    (b, p, g, st) => {
      const seg = segments(p.length);
      const nu = st.buffers.nu;
      if (!(nu instanceof Float64Array) || nu.length !== seg.length / 2)
        throw new RangeError('novograd: state.buffers.nu: does not match the layout');
      sc.lr = lrAt(o.lr, st.count, 'novograd: lr');
      sc.first = st.count === 0;
      b.optimNovograd(p, g, stateBuffer('novograd', st, 'm', p.length), nu, seg, sc);
    },
  );
}
