// Grams (Cao, Li, Song, arXiv 2412.17107). Two variants, one kernel:
//   'official' (default) — the authors' released code (Gunale0926/Grams, pip grams-pytorch):
//       p ← p(1 − lr·wd);  p ← p − lr·√bc2/bc1 · sign(g)·|m| / (√v + ε)   (ε on the uncorrected √v)
//   'paper' — §4.1's formula: p ← p(1 − lr·wd) − lr · sign(g)·|m/bc1| / (√(v/bc2) + ε)
// They differ only where √v is near ε (tiny gradients, early steps). Defaults lr 1e-3, b1 0.9,
// b2 0.999, eps 1e-6, decoupled weightDecay 0, as the authors' code.

import type { GramsScalars } from '../../backend/kernels/optim.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.grams`; a field left out takes the default of the reference implementation the rule follows. */
export interface GramsOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  /**
   * 'official' (default): ε on the uncorrected √v with step lr·√bc2/bc1, as the authors' released
   * code; 'paper': ε on the bias-corrected √v̂, as the paper's formula.
   */
  variant?: 'official' | 'paper';
}

/** Grams: Adam's magnitude with the current gradient's sign. */
export function grams(options?: GramsOptions): Optimizer {
  const o = ruleOptions('grams', options, {
    lr: 1e-3,
    b1: 0.9,
    b2: 0.999,
    eps: 1e-6,
    weightDecay: 0,
    variant: 'official',
  });
  if (o.variant !== 'official' && o.variant !== 'paper')
    throw new RangeError(`grams: variant: expected 'official' or 'paper', got ${String(o.variant)}`);
  // One scalars object per optimizer, refilled each step (no allocation per step).
  const sc: GramsScalars = { b1: o.b1, b2: o.b2, eps: o.eps, stepSize: 0, invBc2Sqrt: 1, decay: 1 };
  return defineRule({
    name: 'grams',
    lr: o.lr,
    buffers: { m: 0, v: 0 },
    step: ({ b, p, g, lr, t }, { m, v }) => {
      const bc1 = 1 - o.b1 ** t;
      const bc2 = 1 - o.b2 ** t;
      // The kernel computes stepSize·sign(g)·|m/(√v·invBc2Sqrt + ε)|.
      if (o.variant === 'official') {
        sc.stepSize = (lr * Math.sqrt(bc2)) / bc1;
        sc.invBc2Sqrt = 1;
      } else {
        sc.stepSize = lr / bc1;
        sc.invBc2Sqrt = 1 / Math.sqrt(bc2);
      }
      sc.decay = 1 - lr * o.weightDecay;
      b.optimGrams(p, g, m, v, sc);
    },
  });
}
