// Gravity (Bahrami & Zadeh, arXiv 2101.09192), matching the Keras reference
// dariush-bahrami/gravity.optimizer (defaults lr 0.1, alpha 0.01, beta 0.9; β̂ = (β·t + 1)/(t + 2)
// with t counted from 0, not pytorch_optimizer's t from 1). Per ParamLayout segment max|g|.
// V₀ ~ Normal(0, (alpha/lr)²) drawn from the library's Philox stream for `seed`.
import { getBackend } from '../../backend/index.js';
import { checkInteger } from '../../util/check.js';
import { lrAt, segmentTable } from '../internal.js';
import type { LearningRate, Optimizer, ParamLayout } from '../types.js';
import { defineRule, ruleOptions } from './define.js';

/** Options of `optim.gravity`; a field left out takes the default of the reference implementation the rule follows. */
export interface GravityOptions {
  lr?: LearningRate;
  alpha?: number;
  beta?: number;
  /** Seed of the random initial velocity. */
  seed?: number;
  layout?: ParamLayout;
}

/** Gravity optimizer. */
export function gravity(options?: GravityOptions): Optimizer {
  const o = ruleOptions('gravity', options, { lr: 0.1, alpha: 0.01, beta: 0.9, seed: 0, layout: undefined });
  checkInteger(o.seed, 'gravity: seed', 0, 2 ** 32 - 1);
  return defineRule({
    name: 'gravity',
    lr: o.lr,
    buffers: { vel: 0 },
    init: (state, p) => {
      const lr0 = lrAt(o.lr, 0, 'gravity: lr');
      if (o.alpha > 0 && lr0 > 0) {
        const b = getBackend();
        const vel = state.buffers.vel as Float32Array;
        b.randomNormal(new Uint32Array([o.seed >>> 0, 0x47524156]), 0, vel);
        b.scale(o.alpha / lr0, vel);
      }
      segmentTable('gravity', o.layout, p.length);
    },
    step: ({ b, p, g, lr, state }, { vel }) => {
      const t = state.count;
      b.optimGravity(p, g, vel, segmentTable('gravity', o.layout, p.length), lr, (o.beta * t + 1) / (t + 2));
    },
  });
}
