// bilevel.hypergradient: dF/dλ of F(w_T(λ), λ) by one of five methods, with defaults that converge
// on a well-posed problem (inner step 1/L from the problem's curvature bound).
import { checkInteger, checkKnownKeys, checkNumber, checkRange } from '../util/check.js';
import { checkLambda, checkProblem, checkW } from './check.js';
import { curvatureBound } from './curvature.js';
import { type Direction, innerDirection } from './direction.js';
import { forwardHypergradient } from './forward.js';
import { implicitHypergradient } from './implicit.js';
import { reverseHypergradient } from './reverse.js';
import type { BilevelProblem, HypergradientOptions, HypergradientResult } from './types.js';
import type { InnerConfig } from './unroll.js';

const KEYS = [
  'method',
  'steps',
  'truncate',
  'checkpoint',
  'fused',
  'innerLr',
  'innerOptimizer',
  'momentum',
  'b1',
  'b2',
  'eps',
  'w0',
  'cgIters',
  'cgDamping',
  'neumannTerms',
  'neumannLr',
] as const;
const METHODS = ['reverse', 'truncated', 'forward', 'implicit', 'neumann'] as const;
const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;

/** Defaults for settings that do not depend on the problem. */
export const HYPERGRADIENT_DEFAULTS = {
  steps: 100,
  momentum: 0.9,
  b1: 0.9,
  b2: 0.999,
  eps: 1e-8,
  adamLr: 0.01,
  neumannTerms: 100,
  maxCgIters: 100,
} as const;

/** Resolved settings of one hypergradient call. */
export interface Resolved {
  method: (typeof METHODS)[number];
  steps: number;
  truncate: number;
  /** 0: keep the whole reached trajectory. */
  checkpoint: number;
  fused: boolean;
  cfg: InnerConfig;
  w0: Float32Array;
  cgIters: number;
  cgDamping: number;
  neumannTerms: number;
  neumannLr: number;
}

function oneOf<T extends string>(x: unknown, values: readonly T[], name: string): T {
  if (!values.includes(x as T))
    throw new RangeError(`${name}: expected ${values.map((v) => `'${v}'`).join(' or ')}, got ${String(x)}`);
  return x as T;
}

/** Checks `options` and fills in defaults (the curvature bound only when a default needs it). */
export function resolveOptions(
  p: BilevelProblem,
  lambda: Float32Array,
  options: HypergradientOptions,
  fn: string,
): Resolved {
  checkKnownKeys(options, KEYS, fn);
  const o = options;
  const method = oneOf(o.method ?? 'reverse', METHODS, `${fn}: method`);
  const steps = o.steps ?? HYPERGRADIENT_DEFAULTS.steps;
  checkInteger(steps, `${fn}: steps`, method === 'implicit' || method === 'neumann' ? 0 : 1);
  const truncate = method === 'truncated' ? (o.truncate ?? Math.max(1, Math.ceil(steps / 10))) : steps;
  if (o.truncate !== undefined && method !== 'truncated')
    throw new RangeError(`${fn}: truncate: only used by method 'truncated' (got method '${method}')`);
  checkInteger(truncate, `${fn}: truncate`, 1, steps);
  const checkpoint = o.checkpoint ?? 0;
  if (o.checkpoint !== undefined) {
    if (method !== 'reverse' && method !== 'truncated')
      throw new RangeError(
        `${fn}: checkpoint: only used by methods 'reverse' and 'truncated' (got method '${method}')`,
      );
    checkInteger(checkpoint, `${fn}: checkpoint`, 1);
  }
  const fused = o.fused ?? false;
  if (typeof fused !== 'boolean') throw new TypeError(`${fn}: fused: expected a boolean`);
  const kind = oneOf(o.innerOptimizer ?? 'sgd', OPTIMIZERS, `${fn}: innerOptimizer`);
  let w0: Float32Array;
  if (fused) {
    if ((method !== 'reverse' && method !== 'forward') || kind !== 'sgd' || o.checkpoint !== undefined)
      throw new RangeError(
        `${fn}: fused: only for method 'reverse' or 'forward' with innerOptimizer 'sgd' and no checkpoint`,
      );
    if (p.fusedSweep === undefined)
      throw new RangeError(`${fn}: fused: problem '${p.name}' has no fused kernel (ridge and linear weightedLoss do)`);
  }
  if (o.w0 !== undefined) {
    checkW(o.w0, p, `${fn}: w0`);
    w0 = o.w0;
  } else {
    w0 = p.initW ? p.initW() : new Float32Array(p.wSize);
    checkW(w0, p, `${fn}: problem.initW()`);
  }
  let L: number | undefined;
  const bound = (): number => {
    L ??= curvatureBound(p, lambda, w0);
    return L;
  };
  let lr = o.innerLr;
  if (lr === undefined) lr = kind === 'adam' ? HYPERGRADIENT_DEFAULTS.adamLr : 1 / bound();
  checkNumber(lr, `${fn}: innerLr`);
  if (!(lr > 0)) throw new RangeError(`${fn}: innerLr: expected a number > 0, got ${lr}`);
  const momentum = o.momentum ?? HYPERGRADIENT_DEFAULTS.momentum;
  checkRange(momentum, `${fn}: momentum`, 0, 1);
  const b1 = o.b1 ?? HYPERGRADIENT_DEFAULTS.b1;
  const b2 = o.b2 ?? HYPERGRADIENT_DEFAULTS.b2;
  checkRange(b1, `${fn}: b1`, 0, 1);
  checkRange(b2, `${fn}: b2`, 0, 1);
  if (b1 === 1 || b2 === 1) throw new RangeError(`${fn}: b1, b2: expected numbers < 1`);
  const eps = o.eps ?? HYPERGRADIENT_DEFAULTS.eps;
  checkRange(eps, `${fn}: eps`, 0, Number.MAX_VALUE);
  const cgIters = o.cgIters ?? Math.min(p.wSize, HYPERGRADIENT_DEFAULTS.maxCgIters);
  checkInteger(cgIters, `${fn}: cgIters`, 1);
  const cgDamping = o.cgDamping ?? 0;
  checkRange(cgDamping, `${fn}: cgDamping`, 0, Number.MAX_VALUE);
  const neumannTerms = o.neumannTerms ?? HYPERGRADIENT_DEFAULTS.neumannTerms;
  checkInteger(neumannTerms, `${fn}: neumannTerms`, 0);
  const neumannLr = o.neumannLr ?? (method === 'neumann' ? 1 / bound() : 0);
  checkRange(neumannLr, `${fn}: neumannLr`, 0, Number.MAX_VALUE);
  if (method === 'neumann' && !(neumannLr > 0))
    throw new RangeError(`${fn}: neumannLr: expected a number > 0, got ${neumannLr}`);
  return {
    method,
    steps,
    truncate,
    checkpoint,
    fused,
    cfg: { kind, lr, momentum, b1, b2, eps },
    w0,
    cgIters,
    cgDamping,
    neumannTerms,
    neumannLr,
  };
}

/** Runs the resolved method along an inner direction (∇_w f, or BDA's aggregate). */
export function runHypergradient(
  p: BilevelProblem,
  lambda: Float32Array,
  r: Resolved,
  dir: Direction,
): HypergradientResult {
  if (r.fused && p.fusedSweep) {
    const forward = r.method === 'forward';
    const out = p.fusedSweep(lambda, r.w0, r.steps, r.cfg.lr, forward);
    const T = r.steps;
    const q = p.lambdaSize;
    Object.assign(dir.stats, {
      grads: T,
      hvps: forward ? T * q : T,
      mixed: forward ? T * q : T,
      storedFloats: forward ? q * p.wSize : T * p.wSize,
    });
    return { ...out, stats: dir.stats };
  }
  switch (r.method) {
    case 'reverse':
    case 'truncated':
      return reverseHypergradient(p, lambda, dir, r.cfg, r.w0, r.steps, r.truncate, r.checkpoint);
    case 'forward':
      return forwardHypergradient(p, lambda, dir, r.cfg, r.w0, r.steps);
    case 'implicit':
      return implicitHypergradient(p, lambda, dir, r.cfg, r.w0, r.steps, {
        kind: 'cg',
        iters: r.cgIters,
        damping: r.cgDamping,
      });
    case 'neumann':
      return implicitHypergradient(p, lambda, dir, r.cfg, r.w0, r.steps, {
        kind: 'neumann',
        terms: r.neumannTerms,
        lr: r.neumannLr,
      });
  }
}

/**
 * The hypergradient dF/dλ of F(w(λ), λ), where w(λ) is the inner variable after `steps` steps of
 * the inner optimizer on f(·, λ) from w0:
 * - 'reverse' back-propagates through all T steps (memory O(T·|w|)); 'truncated' through the last
 *   `truncate` = K (Shaban et al. 2019; K = T is 'reverse'); with `checkpoint` = c both keep the
 *   state at every c-th step only and recompute segments backwards (memory O((K/c + c)·|w|), one
 *   extra forward pass, the same result bit for bit);
 * - 'forward' carries dw/dλ along the steps (Franceschi et al. 2017; cost O(|λ|) HVPs per step);
 * - 'implicit' and 'neumann' take w_T as w* and apply the implicit function theorem with CG or
 *   the Neumann series (Lorraine et al. 2020).
 * The unrolled methods differentiate SGD, momentum and Adam exactly.
 *
 * @throws TypeError/RangeError naming the argument for a malformed problem, λ of the wrong length
 *   or with non-finite entries, or bad options.
 */
export function hypergradient(
  problem: BilevelProblem,
  lambda: Float32Array,
  options: HypergradientOptions = {},
): HypergradientResult {
  const fn = 'bilevel.hypergradient';
  checkProblem(problem, fn);
  checkLambda(lambda, problem, `${fn}: lambda`);
  const r = resolveOptions(problem, lambda, options, fn);
  const out = runHypergradient(problem, lambda, r, innerDirection(problem, lambda));
  if (!Number.isFinite(out.value))
    throw new RangeError(
      `${fn}: the outer value is ${out.value}: the inner run diverged (innerLr ${r.cfg.lr} too large for problem '${problem.name}'?)`,
    );
  if (!out.grad.every(Number.isFinite))
    throw new RangeError(
      `${fn}: the hypergradient has non-finite entries: the float32 adjoints overflowed (the unrolled '${r.cfg.kind}' run over ${r.steps} steps is too sensitive to λ; Adam near convergence has ∂w/∂v ≈ lr/eps² — use fewer steps, 'truncated', or a larger eps)`,
    );
  return out;
}
