// A learning-rate schedule as the hyperparameters of an unrolled run (Maclaurin et al. 2015;
// Franceschi et al. 2017's forward/reverse modes): η_t = log step size of inner SGD step t,
//   w_t = w_{t−1} − exp(η_t)·∇_w f(w_{t−1}, λ),   t = 1..T,   value F(w_T, λ),
// with f, F and the fixed hyperparameters λ of a base bilevel problem. The run is the unroller's
// SGD at step 1 along the step-dependent direction d_t(w, η) = exp(η_t)·∇_w f(w, λ), so the
// reverse, truncated and forward hypergradients are the module's own (not a copy of them):
//   ∂d_t/∂w = exp(η_t)·∇²_w f,   ∂d_t/∂η_j = [j = t]·exp(η_t)·∇_w f.
import { checkInteger, checkKnownKeys } from '../../util/check.js';
import { checkLambda, checkProblem, checkW } from '../check.js';
import { type Direction, newStats } from '../direction.js';
import { forwardHypergradient } from '../forward.js';
import { reverseHypergradient } from '../reverse.js';
import type { BilevelProblem, HypergradientResult } from '../types.js';
import type { InnerConfig } from '../unroll.js';

/** Options of `bilevel.problems.lrSchedule`. */
export interface LrScheduleOptions {
  /** The base problem: its inner objective is trained, its outer objective scores the run. */
  problem: BilevelProblem;
  /** The base problem's hyperparameters, held fixed (default zeros). */
  lambda?: Float32Array;
  /** Inner starting point (default problem.initW(), else zeros); not modified. */
  w0?: Float32Array;
}

/** Options of `LrSchedule.hypergradient`. */
export interface LrScheduleHypergradientOptions {
  /** 'reverse' (default), 'truncated' (the last `truncate` steps only) or 'forward' (one tangent per step). */
  method?: 'reverse' | 'truncated' | 'forward';
  /** 'truncated': back-propagate through the last K steps (default ⌈T/10⌉). */
  truncate?: number;
}

/** The schedule problem: λ = per-step log learning rates of T SGD steps on the base problem. */
export interface LrSchedule {
  readonly name: string;
  readonly wSize: number;
  /** F(w_T) of the run with per-step log rates `logLrs` (length T ≥ 1). */
  value(logLrs: Float32Array): number;
  /** F(w_T), dF/dη (length T) and w_T. */
  hypergradient(logLrs: Float32Array, options?: LrScheduleHypergradientOptions): HypergradientResult;
}

const SGD_AT_ONE: InnerConfig = { kind: 'sgd', lr: 1, momentum: 0, b1: 0.9, b2: 0.999, eps: 1e-8 };

/** d_t = exp(η_t)·∇_w f(w, λ) and its derivatives. */
function scheduleDirection(p: BilevelProblem, lambda: Float32Array, eta: Float32Array): Direction {
  const stats = newStats();
  const g = new Float32Array(p.wSize);
  const rate = (t: number): number => Math.exp(eta[t - 1] as number);
  return {
    stats,
    grad(w, t, out) {
      stats.grads++;
      p.inner(w, lambda, out);
      const r = rate(t);
      for (let i = 0; i < out.length; i++) out[i] = r * (out[i] as number);
    },
    hvp(w, t, v, out) {
      stats.hvps++;
      p.innerHvp(w, lambda, v, out);
      const r = rate(t);
      for (let i = 0; i < out.length; i++) out[i] = r * (out[i] as number);
    },
    mixedVjp(w, t, v, out) {
      stats.mixed++;
      p.inner(w, lambda, g);
      let dot = 0;
      for (let i = 0; i < g.length; i++) dot += (g[i] as number) * (v[i] as number);
      out.fill(0);
      out[t - 1] = rate(t) * dot;
    },
    mixedJvp(w, t, u, out) {
      stats.mixed++;
      p.inner(w, lambda, out);
      const r = rate(t) * (u[t - 1] as number);
      for (let i = 0; i < out.length; i++) out[i] = r * (out[i] as number);
    },
  };
}

/**
 * Learning-rate schedules as hyperparameters: `hypergradient(η)` differentiates F(w_T) through T
 * plain SGD steps with step sizes exp(η_t) on the base problem's inner objective (exactly; the
 * tests check float64 finite differences of the same run). Plain SGD only: for momentum or Adam a
 * per-step rate is not a rescaled direction, so those would need their own adjoints.
 *
 * @throws TypeError/RangeError naming the argument for a malformed problem, λ or w0, and (from
 *   `value`/`hypergradient`) for a schedule that is empty or not finite.
 */
export function lrSchedule(options: LrScheduleOptions): LrSchedule {
  const fn = 'bilevel.problems.lrSchedule';
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: expected { problem }`);
  checkKnownKeys(options, ['problem', 'lambda', 'w0'], fn);
  const p = options.problem;
  checkProblem(p, fn);
  const lambda = options.lambda ?? new Float32Array(p.lambdaSize);
  checkLambda(lambda, p, `${fn}: lambda`);
  const w0 = options.w0 ?? (p.initW ? p.initW() : new Float32Array(p.wSize));
  checkW(w0, p, `${fn}: w0`);
  /** The base problem seen with T schedule entries as its hyperparameters (F does not depend on η). */
  const view = (T: number): BilevelProblem => ({
    ...p,
    name: `lrSchedule(${p.name})`,
    lambdaSize: T,
    outer(w, _eta, gradW, gradEta) {
      gradEta?.fill(0);
      return p.outer(w, lambda, gradW);
    },
  });
  const checkEta = (eta: unknown, where: string): Float32Array => {
    if (!(eta instanceof Float32Array) || eta.length < 1)
      throw new TypeError(`${where}: logLrs: expected a non-empty Float32Array (one log step size per step)`);
    for (let t = 0; t < eta.length; t++)
      if (!Number.isFinite(eta[t]))
        throw new RangeError(`${where}: logLrs[${t}]: expected a finite number, got ${eta[t]}`);
    return eta;
  };
  const run = (eta: Float32Array, o: LrScheduleHypergradientOptions, where: string): HypergradientResult => {
    checkKnownKeys(o, ['method', 'truncate'], where);
    const T = eta.length;
    const method = o.method ?? 'reverse';
    const dir = scheduleDirection(p, lambda, eta);
    let out: HypergradientResult;
    if (method === 'forward') {
      if (o.truncate !== undefined) throw new RangeError(`${where}: truncate: only used by method 'truncated'`);
      out = forwardHypergradient(view(T), eta, dir, SGD_AT_ONE, w0, T);
    } else if (method === 'reverse' || method === 'truncated') {
      const K = method === 'truncated' ? (o.truncate ?? Math.max(1, Math.ceil(T / 10))) : T;
      if (o.truncate !== undefined && method !== 'truncated')
        throw new RangeError(`${where}: truncate: only used by method 'truncated'`);
      checkInteger(K, `${where}: truncate`, 1, T);
      out = reverseHypergradient(view(T), eta, dir, SGD_AT_ONE, w0, T, K);
    } else
      throw new RangeError(`${where}: method: expected 'reverse', 'truncated' or 'forward', got ${String(method)}`);
    if (!Number.isFinite(out.value))
      throw new RangeError(`${where}: the outer value is ${out.value}: the run diverged (step sizes too large?)`);
    return out;
  };
  return {
    name: `lrSchedule(${p.name})`,
    wSize: p.wSize,
    value(logLrs) {
      const where = `${fn}.value`;
      const eta = checkEta(logLrs, where);
      const dir = scheduleDirection(p, lambda, eta);
      const w = w0.slice();
      const g = new Float32Array(p.wSize);
      for (let t = 1; t <= eta.length; t++) {
        dir.grad(w, t, g);
        for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) - (g[i] as number);
      }
      return p.outer(w, lambda);
    },
    hypergradient(logLrs, o = {}) {
      const where = `${fn}.hypergradient`;
      return run(checkEta(logLrs, where), o, where);
    },
  };
}
