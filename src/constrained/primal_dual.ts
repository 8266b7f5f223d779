// The primal-dual method for statistical constrained learning (Chamon & Ribeiro, "Probably
// Approximately Correct Constrained Learning"; Elenter, Chamon & Ribeiro, ICLR 2024): θ takes
// primal steps on the empirical Lagrangian L(θ, λ) = ℓ₀ + Σλᵢ(ℓᵢ − cᵢ) with λ fixed, then the
// multipliers take one projected dual-ascent step λᵢ ← [λᵢ + η_λ(ℓᵢ(θ) − cᵢ)]₊ at the new θ.
import { checkFloat32, checkInteger, checkKnownKeys, checkNumber, checkRange } from '../util/check.js';
import type { ConstrainedProblem, PrimalDualEntry, PrimalDualOptions, PrimalDualResult } from './types.js';

const KEYS = ['optimizer', 'dualLr', 'steps', 'theta0', 'primalSteps', 'lambda0', 'every'];

/** Runs primal-dual constrained learning; returns the last iterate, its multipliers and the record. */
export function primalDual(problem: ConstrainedProblem, options: PrimalDualOptions): PrimalDualResult {
  if (typeof problem !== 'object' || problem === null || typeof problem.evaluate !== 'function')
    throw new TypeError('constrained.primalDual: problem: expected { size, limits, evaluate }');
  checkInteger(problem.size, 'constrained.primalDual: problem.size', 1);
  if (!Array.isArray(problem.limits) || problem.limits.length === 0)
    throw new TypeError('constrained.primalDual: problem.limits: expected a non-empty array of numbers');
  problem.limits.forEach((c, i) => {
    checkNumber(c, `constrained.primalDual: problem.limits[${i}]`);
  });
  checkKnownKeys(options, KEYS, 'constrained.primalDual');
  const opt = options.optimizer;
  if (typeof opt !== 'object' || opt === null || opt.kind !== 'optimizer')
    throw new TypeError('constrained.primalDual: optimizer: expected an optim optimizer (optim.sgd, optim.adam, …)');
  checkRange(options.dualLr, 'constrained.primalDual: dualLr', Number.MIN_VALUE, Number.MAX_VALUE);
  checkInteger(options.steps, 'constrained.primalDual: steps', 0);
  const primalSteps = options.primalSteps ?? 1;
  checkInteger(primalSteps, 'constrained.primalDual: primalSteps', 1);
  const every = options.every ?? 1;
  checkInteger(every, 'constrained.primalDual: every', 1);
  const { size, limits } = problem;
  const k = limits.length;
  checkFloat32(options.theta0, 'constrained.primalDual: theta0', size);
  const lambda = options.lambda0 ? [...options.lambda0] : new Array<number>(k).fill(0);
  if (lambda.length !== k)
    throw new RangeError(
      `constrained.primalDual: lambda0: expected ${k} multipliers (one per limit), got ${lambda.length}`,
    );
  lambda.forEach((l, i) => {
    checkRange(l, `constrained.primalDual: lambda0[${i}]`, 0, Number.MAX_VALUE);
  });

  const theta = options.theta0.slice();
  const grads = Array.from({ length: k + 1 }, () => new Float32Array(size));
  const g = new Float32Array(size);
  const state = opt.init(theta);
  let evals = 0;
  const evaluate = (): number[] => {
    const v = problem.evaluate(theta, grads, evals++);
    if (v.length !== k + 1)
      throw new RangeError(
        `constrained.primalDual: problem.evaluate: expected ${k + 1} values (objective + ${k} constraints), got ${v.length}`,
      );
    return Array.from(v);
  };
  const history: PrimalDualEntry[] = [];
  const lagrangian = (v: number[], lam: number[]): number =>
    v.reduce((s, vi, i) => (i === 0 ? vi : s + (lam[i - 1] as number) * (vi - (limits[i - 1] as number))), 0);
  const record = (t: number, v: number[], lamUsed: number[]): void => {
    const L = lagrangian(v, lamUsed);
    const slack = v.slice(1).map((vi, i) => vi - (limits[i] as number));
    history.push({
      step: t,
      objective: v[0] as number,
      constraints: v.slice(1),
      lambda: [...lambda],
      lagrangian: L,
      violation: Math.max(0, ...slack),
      gap: (v[0] as number) - L,
    });
  };
  let values = evaluate();
  record(0, values, lambda);
  for (let t = 1; t <= options.steps; t++) {
    const used = [...lambda];
    for (let s = 0; s < primalSteps; s++) {
      if (s > 0) values = evaluate();
      // ∇ₜL = ∇ℓ₀ + Σλᵢ∇ℓᵢ
      g.set(grads[0] as Float32Array);
      for (let i = 0; i < k; i++) {
        const l = used[i] as number;
        if (l === 0) continue;
        const gi = grads[i + 1] as Float32Array;
        for (let j = 0; j < size; j++) g[j] = (g[j] as number) + l * (gi[j] as number);
      }
      opt.step(theta, g, state);
    }
    values = evaluate(); // the constraint losses at the new θ drive the dual step
    for (let i = 0; i < k; i++)
      lambda[i] = Math.max(
        0,
        (lambda[i] as number) + options.dualLr * ((values[i + 1] as number) - (limits[i] as number)),
      );
    if (t % every === 0 || t === options.steps) record(t, values, used);
  }
  return { theta, lambda, history };
}
