// Complex momentum (Lorraine, Acuna, Vicol, Duvenaud, AISTATS 2022), from the paper (no reference
// code): μ ← β·μ − g with β = momentum·e^{i·angle}, p ← p + lr·Re(μ). Defaults are ours: lr 1e-3,
// momentum 0.9, angle π/8 (the paper tunes |β| and arg β per problem). With angle 0 it is
// heavy-ball momentum.
import { checkBeta, lrAt, newState, parseOptions, stateBuffer } from '../internal.js';
import type { LearningRate, Optimizer } from '../types.js';
import { defineRule } from './define.js';

export interface ComplexMomentumOptions {
  lr?: LearningRate;
  /** |β|. */
  momentum?: number;
  /** arg β in radians. */
  angle?: number;
}

/** Complex momentum, for games and rotational dynamics. */
export function complexMomentum(options?: ComplexMomentumOptions): Optimizer {
  const o = parseOptions('complexMomentum', options, { lr: 1e-3 as LearningRate, momentum: 0.9, angle: Math.PI / 8 });
  checkBeta(o.momentum, 'complexMomentum: momentum');
  const re = o.momentum * Math.cos(o.angle);
  const im = o.momentum * Math.sin(o.angle);
  return defineRule(
    'complexMomentum',
    (p) => newState({ muRe: new Float32Array(p.length), muIm: new Float32Array(p.length) }),
    (b, p, g, st) => {
      const n = p.length;
      b.optimComplexMomentum(
        p,
        g,
        stateBuffer('complexMomentum', st, 'muRe', n),
        stateBuffer('complexMomentum', st, 'muIm', n),
        lrAt(o.lr, st.count, 'complexMomentum: lr'),
        re,
        im,
      );
    },
  );
}
