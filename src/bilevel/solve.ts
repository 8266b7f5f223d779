// bilevel.solve: outer loops over λ — hypergradient descent (any hypergradient method), V-PBGD
// (Shen & Chen 2023, penalty on the value-function gap) and BDA (Liu et al. 2020, inner steps that
// aggregate the inner and outer descent directions, differentiated in reverse).
import { adam } from '../optim/index.js';
import type { Optimizer } from '../optim/types.js';
import { checkBoolean, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { checkLambda, checkProblem, checkW } from './check.js';
import { curvatureBound } from './curvature.js';
import { bdaDirection, innerDirection } from './direction.js';
import { resolveOptions, runHypergradient } from './hypergradient.js';
import type { BilevelProblem, HypergradientOptions, SolveOptions, SolveResult, SolveStep } from './types.js';

const KEYS = [
  'method',
  'iterations',
  'lambda0',
  'outerOptimizer',
  'hypergradient',
  'warmStart',
  'gammaMax',
  'gammaRamp',
  'auxSteps',
  'innerLr',
  'alpha',
  'decay',
  'onIteration',
] as const;
const METHODS = ['hypergradient', 'penalty', 'bda'] as const;
const FN = 'bilevel.solve';

/** Yields to the event loop every few iterations so a long solve does not block it. */
const YIELD_EVERY = 16;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkFinite(x: Float32Array, what: string, iteration: number): void {
  for (let i = 0; i < x.length; i++)
    if (!Number.isFinite(x[i]))
      throw new RangeError(`${FN}: ${what} became non-finite at iteration ${iteration} (step sizes too large?)`);
}

/**
 * Solves min_λ F(w*(λ), λ). 'hypergradient' steps λ with `outerOptimizer` along
 * `bilevel.hypergradient` (options in `hypergradient`, inner runs warm-started); 'penalty' runs
 * V-PBGD (authors' data_hyper_clean.py loop: auxiliary ω, γ ramped linearly, step scale
 * min(1/γ, 1)); 'bda' steps λ along the reverse hypergradient of BDA's aggregated inner steps.
 * Resolves to the final λ, w, F and a per-iteration history.
 */
export async function solve(problem: BilevelProblem, options: SolveOptions): Promise<SolveResult> {
  checkProblem(problem, FN);
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: options: expected an object`);
  checkKnownKeys(options, KEYS, FN);
  const method = options.method;
  if (!METHODS.includes(method))
    throw new RangeError(`${FN}: method: expected ${METHODS.map((m) => `'${m}'`).join(' or ')}, got ${String(method)}`);
  const iterations = options.iterations ?? 100;
  checkInteger(iterations, `${FN}: iterations`, 1);
  if (options.lambda0 !== undefined) checkLambda(options.lambda0, problem, `${FN}: lambda0`);
  const lambda = options.lambda0 === undefined ? new Float32Array(problem.lambdaSize) : options.lambda0.slice();
  const hg: HypergradientOptions = options.hypergradient ?? {};
  if (typeof hg !== 'object' || hg === null) throw new TypeError(`${FN}: hypergradient: expected an options object`);
  const alpha = options.alpha ?? 0.5;
  const decay = options.decay ?? 0.9;
  if (method === 'bda') {
    checkRange(alpha, `${FN}: alpha`, 0, 1);
    checkRange(decay, `${FN}: decay`, 0, 1);
    if (hg.method !== undefined && hg.method !== 'reverse' && hg.method !== 'truncated')
      throw new RangeError(
        `${FN}: hypergradient.method: BDA differentiates its inner steps in reverse ('reverse' or 'truncated')`,
      );
  }
  const opt: Optimizer = options.outerOptimizer ?? adam({ lr: 0.05 });
  if (typeof opt !== 'object' || opt === null || typeof opt.step !== 'function' || typeof opt.init !== 'function')
    throw new TypeError(`${FN}: outerOptimizer: expected an optim optimizer (e.g. optim.adam({ lr }))`);
  const warmStart = options.warmStart ?? true;
  checkBoolean(warmStart, `${FN}: warmStart`);
  if (options.onIteration !== undefined && typeof options.onIteration !== 'function')
    throw new TypeError(`${FN}: onIteration: expected a function`);
  const state = opt.init(lambda);
  const history: SolveStep[] = [];
  const record = (iteration: number, value: number): void => {
    const s = { iteration, value };
    history.push(s);
    options.onIteration?.(s);
  };
  if (method === 'penalty') return penalty(problem, lambda, opt, state, options, hg, iterations, record, history);

  if (method === 'bda' && hg.fused)
    throw new RangeError(
      `${FN}: hypergradient.fused: not with method 'bda' (its inner steps follow the aggregated direction)`,
    );
  let w0: Float32Array | undefined = hg.w0;
  let w: Float32Array = new Float32Array(problem.wSize);
  let value = Number.NaN;
  for (let k = 1; k <= iterations; k++) {
    const r = resolveOptions(problem, lambda, { ...hg, w0 }, `${FN}: hypergradient`);
    const dir = method === 'bda' ? bdaDirection(problem, lambda, alpha, decay) : innerDirection(problem, lambda);
    const h = runHypergradient(problem, lambda, r, dir);
    checkFinite(h.w, 'w', k);
    checkFinite(h.grad, 'the hypergradient', k);
    w = h.w;
    value = h.value;
    record(k, value);
    opt.step(lambda, h.grad, state);
    checkFinite(lambda, 'lambda', k);
    if (warmStart) w0 = w;
    if (k % YIELD_EVERY === 0) await tick();
  }
  return { lambda, w, value: problem.outer(w, lambda), history };
}

/** V-PBGD: joint steps on (λ, w) of s·[F + γ(f(w, λ) − f(ω, λ))], ω tracking argmin f(·, λ). */
async function penalty(
  p: BilevelProblem,
  lambda: Float32Array,
  opt: Optimizer,
  state: ReturnType<Optimizer['init']>,
  options: SolveOptions,
  hg: HypergradientOptions,
  iterations: number,
  record: (k: number, v: number) => void,
  history: SolveStep[],
): Promise<SolveResult> {
  const gammaMax = options.gammaMax ?? 10;
  checkRange(gammaMax, `${FN}: gammaMax`, 0, Number.MAX_VALUE);
  const ramp = options.gammaRamp ?? Math.max(1, Math.floor(iterations / 2));
  checkInteger(ramp, `${FN}: gammaRamp`, 1);
  const auxSteps = options.auxSteps ?? 1;
  checkInteger(auxSteps, `${FN}: auxSteps`, 0);
  if (options.innerLr !== undefined) checkRange(options.innerLr, `${FN}: innerLr`, Number.MIN_VALUE, Number.MAX_VALUE);
  const n = p.wSize;
  const q = p.lambdaSize;
  const w = hg.w0 ? hg.w0.slice() : p.initW ? p.initW() : new Float32Array(n);
  checkW(w, p, `${FN}: w0`);
  const omega = w.slice();
  const gF = new Float32Array(n);
  const gf = new Float32Array(n);
  const gFl = new Float32Array(q);
  const gfl = new Float32Array(q);
  const gfo = new Float32Array(q);
  const gl = new Float32Array(q);
  for (let k = 1; k <= iterations; k++) {
    const lr = options.innerLr ?? 1 / curvatureBound(p, lambda, w);
    for (let s = 0; s < auxSteps; s++) {
      p.inner(omega, lambda, gf);
      for (let i = 0; i < n; i++) omega[i] = (omega[i] as number) - lr * (gf[i] as number);
    }
    const gamma = gammaMax * Math.min(1, k / ramp);
    const scale = gamma > 1 ? 1 / gamma : 1;
    const value = p.outer(w, lambda, gF, gFl);
    p.inner(w, lambda, gf);
    p.innerGradLambda(w, lambda, gfl);
    p.innerGradLambda(omega, lambda, gfo); // Danskin: ∇v(λ) ≈ ∇_λ f(ω, λ)
    for (let j = 0; j < q; j++)
      gl[j] = scale * ((gFl[j] as number) + gamma * ((gfl[j] as number) - (gfo[j] as number)));
    for (let i = 0; i < n; i++) w[i] = (w[i] as number) - lr * scale * ((gF[i] as number) + gamma * (gf[i] as number));
    opt.step(lambda, gl, state);
    checkFinite(w, 'w', k);
    checkFinite(lambda, 'lambda', k);
    record(k, value);
    if (k % YIELD_EVERY === 0) await tick();
  }
  return { lambda, w, value: p.outer(w, lambda), history };
}
