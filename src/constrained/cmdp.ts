// Tabular constrained MDPs: max_π V_r(π) s.t. V_c(π) ≤ τ, values normalized by (1 − γ), solved
// exactly by the occupancy-measure LP (Altman 1999), and Lagrangian policy optimization
// L(π, μ) = V_r − μ(V_c − τ) with softmax natural-policy-gradient (mirror ascent) steps on π and
// projected steps on μ: simultaneous GDA, or ReLOAD's optimistic ascent-descent (Moskovitz et al.
// 2023) whose updates use 2·(current gradient) − (previous), for last-iterate convergence.
import { solveDense } from '../games/dense.js';
import { checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import { multiplierStep } from './multiplier.js';
import { simplexMax } from './simplex.js';

/** A finite constrained MDP. Arrays are row-major float64. */
export interface TabularCmdp {
  states: number;
  actions: number;
  /** P[s, a, s′] (states × actions × states), each row a distribution. */
  transitions: Float64Array;
  /** r(s, a). */
  reward: Float64Array;
  /** c(s, a). */
  cost: Float64Array;
  /** Discount in [0, 1). */
  gamma: number;
  /** Initial distribution ρ(s). */
  initial: Float64Array;
  /** Cost limit τ on the normalized value V_c = (1 − γ) E Σ γᵗ c. */
  limit: number;
}

/** Values of a policy π(a|s) (states × actions): normalized V_r, V_c, Q's and the occupancy d(s, a). */
export interface PolicyValues {
  vr: number;
  vc: number;
  qr: Float64Array;
  qc: Float64Array;
  occupancy: Float64Array;
}

function checkCmdp(c: TabularCmdp, name: string): void {
  checkInteger(c.states, `${name}.states`, 1);
  checkInteger(c.actions, `${name}.actions`, 1);
  const { states: S, actions: A } = c;
  const arr = (x: unknown, n: number, what: string): void => {
    if (!(x instanceof Float64Array)) throw new TypeError(`${name}.${what}: expected a Float64Array`);
    if (x.length !== n) throw new RangeError(`${name}.${what}: expected length ${n}, got ${x.length}`);
  };
  arr(c.transitions, S * A * S, 'transitions');
  arr(c.reward, S * A, 'reward');
  arr(c.cost, S * A, 'cost');
  arr(c.initial, S, 'initial');
  checkRange(c.gamma, `${name}.gamma`, 0, 1 - Number.EPSILON);
  checkRange(c.limit, `${name}.limit`, -Number.MAX_VALUE, Number.MAX_VALUE);
  for (let sa = 0; sa < S * A; sa++) {
    let t = 0;
    for (let s2 = 0; s2 < S; s2++) t += c.transitions[sa * S + s2] as number;
    if (Math.abs(t - 1) > 1e-9)
      throw new RangeError(`${name}.transitions: row (${Math.floor(sa / A)}, ${sa % A}) sums to ${t}, not 1`);
  }
}

/** Exact policy evaluation by two S × S solves. */
export function evaluatePolicy(c: TabularCmdp, pi: Float64Array): PolicyValues {
  const { states: S, actions: A, gamma } = c;
  const M = new Float64Array(S * S); // I − γP_π
  const rp = new Float64Array(S);
  const cp = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    M[s * S + s] = 1;
    for (let a = 0; a < A; a++) {
      const p = pi[s * A + a] as number;
      rp[s] = (rp[s] as number) + p * (c.reward[s * A + a] as number);
      cp[s] = (cp[s] as number) + p * (c.cost[s * A + a] as number);
      for (let s2 = 0; s2 < S; s2++)
        M[s * S + s2] = (M[s * S + s2] as number) - gamma * p * (c.transitions[(s * A + a) * S + s2] as number);
    }
  }
  const vR = solveDense(M, rp, S) as Float64Array;
  const vC = solveDense(M, cp, S) as Float64Array;
  const Mt = new Float64Array(S * S);
  for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) Mt[i * S + j] = M[j * S + i] as number;
  const ds = solveDense(
    Mt,
    Float64Array.from(c.initial, (r) => (1 - gamma) * r),
    S,
  ) as Float64Array;
  const qr = new Float64Array(S * A);
  const qc = new Float64Array(S * A);
  const occupancy = new Float64Array(S * A);
  let vr = 0;
  let vc = 0;
  for (let s = 0; s < S; s++) {
    vr += (1 - gamma) * (c.initial[s] as number) * (vR[s] as number);
    vc += (1 - gamma) * (c.initial[s] as number) * (vC[s] as number);
    for (let a = 0; a < A; a++) {
      let er = 0;
      let ec = 0;
      for (let s2 = 0; s2 < S; s2++) {
        const p = c.transitions[(s * A + a) * S + s2] as number;
        er += p * (vR[s2] as number);
        ec += p * (vC[s2] as number);
      }
      qr[s * A + a] = (c.reward[s * A + a] as number) + gamma * er;
      qc[s * A + a] = (c.cost[s * A + a] as number) + gamma * ec;
      occupancy[s * A + a] = (ds[s] as number) * (pi[s * A + a] as number);
    }
  }
  return { vr, vc, qr, qc, occupancy };
}

/** The constrained optimum by the occupancy LP; null when no policy meets the limit. */
export function solveCmdpLp(c: TabularCmdp): { value: number; occupancy: Float64Array; policy: Float64Array } | null {
  checkCmdp(c, 'constrained.solveCmdpLp: cmdp');
  const { states: S, actions: A, gamma } = c;
  const n = S * A;
  // Rows: for each s′, Σ_a d(s′,a) − γ Σ_{s,a} P(s′|s,a) d(s,a) = (1 − γ)ρ(s′); then Σ d·c ≤ τ.
  const Aeq: number[][] = [];
  const beq: number[] = [];
  for (let s2 = 0; s2 < S; s2++) {
    const row = new Array<number>(n).fill(0);
    for (let s = 0; s < S; s++)
      for (let a = 0; a < A; a++)
        row[s * A + a] = (s === s2 ? 1 : 0) - gamma * (c.transitions[(s * A + a) * S + s2] as number);
    Aeq.push(row);
    beq.push((1 - gamma) * (c.initial[s2] as number));
  }
  const r = simplexMax(Array.from(c.reward), Aeq, beq, [Array.from(c.cost)], [c.limit]);
  if (!r) return null;
  const occupancy = Float64Array.from(r.x);
  const policy = new Float64Array(n);
  for (let s = 0; s < S; s++) {
    let t = 0;
    for (let a = 0; a < A; a++) t += occupancy[s * A + a] as number;
    for (let a = 0; a < A; a++) policy[s * A + a] = t > 1e-12 ? (occupancy[s * A + a] as number) / t : 1 / A;
  }
  return { value: r.value, occupancy, policy };
}

/** How `lagrangianPolicy` steps the policy and the multiplier μ (steps > 0, μ ≥ 0). */
export interface LagrangianOptions {
  /** 'gda': simultaneous Lagrangian descent-ascent; 'reload': optimistic (ReLOAD). */
  method: 'gda' | 'reload';
  /** Policy step η_π of the softmax mirror-ascent update π ← π·exp(η_π A_L) (normalized). */
  policyLr: number;
  /** Multiplier step η_μ. */
  dualLr: number;
  /** Updates to run (≥ 0); the history has iterations + 1 entries. */
  iterations: number;
  /** Starting multiplier (default 0). */
  mu0?: number;
}

/** The iterate after `iteration` updates (0: the uniform policy and μ0). */
export interface LagrangianEntry {
  /** Updates applied so far. */
  iteration: number;
  /** Normalized reward value V_r = (1 − γ) E Σ γᵗ r of the iterate. */
  vr: number;
  /** Normalized cost value V_c of the iterate. */
  vc: number;
  /** The multiplier μ of the iterate. */
  mu: number;
  /** Normalized occupancy d(s, a) (states × actions) of the iterate. */
  occupancy: Float64Array;
}

/** Lagrangian policy optimization on a tabular CMDP from the uniform policy; records every iterate. */
export function lagrangianPolicy(
  c: TabularCmdp,
  options: LagrangianOptions,
): { policy: Float64Array; mu: number; history: LagrangianEntry[] } {
  checkCmdp(c, 'constrained.lagrangianPolicy: cmdp');
  checkKnownKeys(options, ['method', 'policyLr', 'dualLr', 'iterations', 'mu0'], 'constrained.lagrangianPolicy');
  if (options.method !== 'gda' && options.method !== 'reload')
    throw new RangeError(
      `constrained.lagrangianPolicy: method: expected 'gda' or 'reload', got ${String(options.method)}`,
    );
  checkRange(options.policyLr, 'constrained.lagrangianPolicy: policyLr', Number.MIN_VALUE, Number.MAX_VALUE);
  checkRange(options.dualLr, 'constrained.lagrangianPolicy: dualLr', Number.MIN_VALUE, Number.MAX_VALUE);
  checkInteger(options.iterations, 'constrained.lagrangianPolicy: iterations', 0);
  const { states: S, actions: A } = c;
  const optimistic = options.method === 'reload';
  const pi = new Float64Array(S * A).fill(1 / A);
  let mu = options.mu0 ?? 0;
  checkRange(mu, 'constrained.lagrangianPolicy: mu0', 0, Number.MAX_VALUE);
  const prevQ = new Float64Array(S * A);
  let prevSlack = 0;
  const history: LagrangianEntry[] = [];
  for (let k = 0; k <= options.iterations; k++) {
    const v = evaluatePolicy(c, pi);
    history.push({ iteration: k, vr: v.vr, vc: v.vc, mu, occupancy: v.occupancy });
    if (k === options.iterations) break;
    const slack = v.vc - c.limit;
    const q = new Float64Array(S * A);
    for (let i = 0; i < S * A; i++) q[i] = (v.qr[i] as number) - mu * (v.qc[i] as number);
    if (k === 0) {
      prevQ.set(q);
      prevSlack = slack;
    }
    // π ← π·exp(η g) per state, g = Q_L (or 2Q_L − Q_L,prev); the state's mean cancels in the normalization.
    for (let s = 0; s < S; s++) {
      let mx = Number.NEGATIVE_INFINITY;
      const g = new Float64Array(A);
      for (let a = 0; a < A; a++) {
        const i = s * A + a;
        g[a] = optimistic ? 2 * (q[i] as number) - (prevQ[i] as number) : (q[i] as number);
        mx = Math.max(mx, g[a] as number);
      }
      let z = 0;
      for (let a = 0; a < A; a++) {
        const w = (pi[s * A + a] as number) * Math.exp(options.policyLr * ((g[a] as number) - mx));
        pi[s * A + a] = w;
        z += w;
      }
      for (let a = 0; a < A; a++) pi[s * A + a] = (pi[s * A + a] as number) / z;
    }
    mu = multiplierStep(mu, slack, prevSlack, options.dualLr, options.method);
    prevQ.set(q);
    prevSlack = slack;
  }
  return { policy: pi, mu, history };
}
