// Complex momentum (Lorraine, Acuna, Vicol, Duvenaud, AISTATS 2022), from the paper (no reference
// code): μ ← β·μ − g with β = momentum·e^{i·angle}, p ← p + lr·Re(μ). Defaults are ours: lr 1e-3,
// momentum 0.9, angle π/8 (the paper tunes |β| and arg β per problem). With angle 0 it is
// heavy-ball momentum.
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.complexMomentum`; a field left out takes the default of the reference implementation the rule follows. */
export interface ComplexMomentumOptions {
  lr?: LearningRate;
  /** |β|. */
  momentum?: number;
  /** arg β in radians. */
  angle?: number;
}

/** Complex momentum, for games and rotational dynamics. */
export function complexMomentum(options?: ComplexMomentumOptions): Optimizer {
  const o = ruleOptions('complexMomentum', options, { lr: 1e-3, momentum: 0.9, angle: Math.PI / 8 });
  const re = o.momentum * Math.cos(o.angle);
  const im = o.momentum * Math.sin(o.angle);
  return defineRule({
    name: 'complexMomentum',
    lr: o.lr,
    buffers: { muRe: 0, muIm: 0 },
    step: ({ b, p, g, lr }, { muRe, muIm }) => b.optimComplexMomentum(p, g, muRe, muIm, lr, re, im),
  });
}
