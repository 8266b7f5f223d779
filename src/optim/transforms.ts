// Gradient transformations: each rewrites a gradient buffer in place (inside chain, a scratch
// copy of the caller's gradient). Order matters as in optax: put them before the optimizer.
import { getBackend } from '../backend/index.js';
import { checkFloat32, checkNumber } from '../util/check.js';
import { checkBeta, checkNonNegative, checkPositive, lrAt, newState, parseOptions, stateBuffer } from './internal.js';
import type { GradientTransformation, LearningRate, OptState, Schedule } from './types.js';

// A transformation; without `init` it keeps no state beyond the count.
function defineTransform(
  name: string,
  update: (grads: Float32Array, state: OptState, params: Float32Array) => void,
  init: (params: Float32Array) => OptState = () => newState(),
): GradientTransformation {
  return {
    kind: 'transform',
    name,
    init(params) {
      checkFloat32(params, `${name}.init: params`);
      return init(params);
    },
    update(grads, state, params) {
      checkFloat32(grads, `${name}: grads`);
      checkFloat32(params, `${name}: params`, grads.length);
      update(grads, state, params);
      state.count++;
    },
  };
}

/**
 * optax.clip_by_global_norm: when ‖g‖₂ > maxNorm, g ← g·maxNorm/‖g‖₂ (norm summed in double).
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  checkNumber(maxNorm, 'clipByGlobalNorm: maxNorm');
  checkPositive(maxNorm, 'clipByGlobalNorm: maxNorm');
  return defineTransform('clipByGlobalNorm', (g) => {
    const b = getBackend();
    const norm = Math.sqrt(b.sumSquares(g));
    if (norm > maxNorm) b.scale(maxNorm / norm, g);
  });
}

/** optax.clip: each element clipped to [−maxDelta, maxDelta]. */
export function clipByValue(maxDelta: number): GradientTransformation {
  checkNumber(maxDelta, 'clipByValue: maxDelta');
  checkNonNegative(maxDelta, 'clipByValue: maxDelta');
  return defineTransform('clipByValue', (g) => getBackend().optimClipByValue(g, -maxDelta, maxDelta));
}

/**
 * optax.add_decayed_weights before the optimizer: g ← g + weightDecay·p (coupled, L2). For
 * decoupled decay use the rule's own option (adamw, lion, grams: `weightDecay`).
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation {
  checkNumber(weightDecay, 'addDecayedWeights: weightDecay');
  checkNonNegative(weightDecay, 'addDecayedWeights: weightDecay');
  return defineTransform('addDecayedWeights', (g, _s, p) => getBackend().axpy(weightDecay, p, g));
}

/** optax.scale: g ← factor·g. */
export function scale(factor: number): GradientTransformation {
  checkNumber(factor, 'scale: factor');
  return defineTransform('scale', (g) => getBackend().scale(factor, g));
}

/** optax.scale_by_schedule: g ← schedule(count)·g. */
export function scaleBySchedule(schedule: Schedule): GradientTransformation {
  if (typeof schedule !== 'function') throw new TypeError('scaleBySchedule: schedule: expected a function');
  return defineTransform('scaleBySchedule', (g, s) => {
    const f = schedule(s.count);
    checkNumber(f, `scaleBySchedule: schedule(${s.count})`);
    getBackend().scale(f, g);
  });
}

/** Options of `optim.grokfastEma`; a field left out takes the default of the reference implementation the rule follows. */
export interface GrokfastOptions {
  /** EMA momentum of the slow gradient (reference default 0.98). */
  alpha?: number;
  /** Amplification of the slow gradient (reference default 2.0). */
  lamb?: number;
}

/**
 * Grokfast-EMA gradient filter (Lee et al. 2024; ironjr/grokfast gradfilter_ema):
 * μ ← αμ + (1−α)g (μ = g before the first update), g ← g + λμ. Put it before any optimizer.
 */
export function grokfastEma(options?: GrokfastOptions): GradientTransformation {
  const o = parseOptions('grokfastEma', options, { alpha: 0.98, lamb: 2.0 });
  checkBeta(o.alpha, 'grokfastEma: alpha', true);
  checkNonNegative(o.lamb, 'grokfastEma: lamb');
  return defineTransform(
    'grokfastEma',
    (g, s) => {
      const mu = stateBuffer('grokfastEma', s, 'mu', g.length);
      getBackend().optimGrokfastEma(g, mu, o.alpha, o.lamb, s.count === 0);
    },
    (p) => newState({ mu: new Float32Array(p.length) }),
  );
}

/** Multiplies the gradient by a learning rate (a number or schedule): optax.scale_by_learning_rate without the sign. */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation {
  return defineTransform('scaleByLearningRate', (g, s) =>
    getBackend().scale(lrAt(lr, s.count, 'scaleByLearningRate: lr'), g),
  );
}
