// Wrappers around an optimizer: gradient accumulation (multiSteps), lookahead, a non-finite
// guard (skipNonFinite), XGrad weight prediction and the Grokfast filter in front of any rule.
import { getBackend } from '../backend/index.js';
import { checkFloat32, checkInteger } from '../util/check.js';
import { chain } from './chain.js';
import { checkBeta, defineComposite, innerState, newState, parseOptions, stateBuffer } from './internal.js';
import type { Predictor } from './rules/define.js';
import { type GrokfastOptions, grokfastEma } from './transforms.js';
import type { Optimizer, OptState } from './types.js';

function checkOptimizer(fn: string, opt: unknown): asserts opt is Optimizer {
  if ((opt as Optimizer | null)?.kind !== 'optimizer') throw new TypeError(`${fn}: expected an optimizer`);
}

/**
 * Gradient accumulation (optax.MultiSteps with use_grad_mean): the first k−1 calls only add the
 * gradient to an accumulator (and return false); the k-th applies the inner optimizer once to
 * the mean gradient (sum·(1/k)) and returns true.
 */
export function multiSteps(opt: Optimizer, k: number): Optimizer {
  checkOptimizer('multiSteps', opt);
  checkInteger(k, 'multiSteps: k', 1);
  const name = `multiSteps(${opt.name}, ${k})`;
  return defineComposite(
    name,
    (p) => newState({ acc: new Float32Array(p.length) }, { miniStep: 0 }, [opt.init(p)]),
    (params, grads, state, extra) => {
      const b = getBackend();
      const acc = stateBuffer(name, state, 'acc', params.length);
      b.axpy(1, grads, acc);
      const mini = (state.scalars.miniStep ?? 0) + 1;
      if (mini < k) {
        state.scalars.miniStep = mini;
        return false;
      }
      state.scalars.miniStep = 0;
      b.scale(1 / k, acc);
      const applied = opt.step(params, acc, innerState(name, state, 0), extra);
      acc.fill(0);
      return applied;
    },
  );
}

/** Options of `optim.lookahead`; a field left out takes the default of the reference implementation the rule follows. */
export interface LookaheadOptions {
  /** Fast steps between synchronisations (the paper's k, default 5). */
  syncPeriod?: number;
  /** Slow step size α (default 0.5). */
  alpha?: number;
  /** Re-initialise the fast optimizer's state at each synchronisation (optax reset_state). */
  resetState?: boolean;
}

/**
 * Lookahead (Zhang et al. 2019; optax.lookahead): `params` are the fast weights; every
 * syncPeriod steps slow ← slow + α(fast − slow) and fast ← slow. The slow weights are
 * state.buffers.slow (use them for evaluation).
 */
export function lookahead(opt: Optimizer, options?: LookaheadOptions): Optimizer {
  checkOptimizer('lookahead', opt);
  const o = parseOptions('lookahead', options, { syncPeriod: 5, alpha: 0.5, resetState: false });
  checkInteger(o.syncPeriod, 'lookahead: syncPeriod', 1);
  checkBeta(o.alpha, 'lookahead: alpha', true);
  const name = `lookahead(${opt.name})`;
  return defineComposite(
    name,
    (p) => newState({ slow: Float32Array.from(p) }, {}, [opt.init(p)]),
    (params, grads, state, extra) => {
      opt.step(params, grads, innerState(name, state, 0), extra);
      if (state.count % o.syncPeriod === 0) {
        getBackend().optimLookaheadSync(params, stateBuffer(name, state, 'slow', params.length), o.alpha);
        if (o.resetState) state.inner[0] = opt.init(params);
      }
      return true;
    },
  );
}

/**
 * optax.skip_not_finite: when the gradient (or the given loss) holds NaN/Inf, the step leaves
 * params and the inner state untouched and returns false. state.scalars counts the skipped steps
 * (`skipped`) and the current run of them (`consecutive`).
 */
export function skipNonFinite(opt: Optimizer): Optimizer {
  checkOptimizer('skipNonFinite', opt);
  const name = `skipNonFinite(${opt.name})`;
  return defineComposite(
    name,
    (p) => newState({}, { skipped: 0, consecutive: 0 }, [opt.init(p)]),
    (params, grads, state, extra) => {
      const lossBad = extra?.loss !== undefined && !Number.isFinite(extra.loss);
      if (lossBad || !getBackend().allFinite(grads)) {
        state.scalars.skipped = (state.scalars.skipped ?? 0) + 1;
        state.scalars.consecutive = (state.scalars.consecutive ?? 0) + 1;
        return false;
      }
      state.scalars.consecutive = 0;
      return opt.step(params, grads, innerState(name, state, 0), extra);
    },
  );
}

/** An optimizer with XGrad weight prediction. */
export interface XgradOptimizer extends Optimizer {
  /** The weights `steps` updates ahead predicted from the current state; compute the gradient there. */
  predict(params: Float32Array, state: OptState, out?: Float32Array): Float32Array;
}

/**
 * XGrad (Guan et al., arXiv 2305.18240; guanleics/XGrad): before each forward/backward, predict
 * the weights `steps` updates ahead with the base rule and the current state, take the gradient
 * at the prediction, then step the true weights with it. Supported bases: adam, adamw, amsgrad.
 */
export function xgrad(opt: Optimizer, options?: { steps?: number }): XgradOptimizer {
  checkOptimizer('xgrad', opt);
  const predictor = opt as Optimizer & Partial<Predictor>;
  if (typeof predictor.predict !== 'function')
    throw new TypeError(`xgrad: '${opt.name}' has no weight prediction (supported: adam, adamw, amsgrad)`);
  const o = parseOptions('xgrad', options, { steps: 1 });
  checkInteger(o.steps, 'xgrad: steps', 1);
  const predict = predictor.predict.bind(predictor);
  return {
    kind: 'optimizer',
    name: `xgrad(${opt.name})`,
    init: (p) => opt.init(p),
    step: (params, grads, state, extra) => opt.step(params, grads, state, extra),
    predict(params, state, out) {
      checkFloat32(params, 'xgrad.predict: params');
      const dst = out ?? new Float32Array(params.length);
      checkFloat32(dst, 'xgrad.predict: out', params.length);
      predict(params, state, dst, o.steps);
      return dst;
    },
  };
}

/** Grokfast-EMA in front of any optimizer: chain(grokfastEma(options), opt). */
export function grokfast(opt: Optimizer, options?: GrokfastOptions): Optimizer {
  checkOptimizer('grokfast', opt);
  return chain(grokfastEma(options), opt);
}
