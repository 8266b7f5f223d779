// Lagrangian PPO (Ray, Achiam, Amodei 2019, "Benchmarking Safe Exploration", PPO-Lagrangian) with a
// choice of multiplier update: after each rollout the per-step costs are computed from the stored
// observations and actions, the policy ascends the Lagrangian advantage
//   A = (Â_r − Σⱼ λⱼ Â_cⱼ) / (1 + Σⱼ λⱼ)
// (Â: advantages standardized over the rollout), and each multiplier takes one projected step on
// its constraint's slack gⱼ = (cost rate of the rollout) − limitⱼ, simultaneous with the policy step
// (the policy uses λ_k, the slack of π_k moves λ to λ_{k+1}): plain ascent ('gda') or ReLOAD's
// optimistic ascent ('reload', Moskovitz et al. 2023), through the multiplier step the tabular
// CMDP methods use.
//
// Cost advantages have no learned critic: Aᶜₜ = Gᶜₜ − ρ/(1 − γ), with Gᶜₜ the discounted cost-to-go
// within the rollout, ρ the rollout's cost rate, and the tail past a truncation or the rollout's end
// bootstrapped by ρ/(1 − γ), the value of paying the average rate forever (a baseline, not a fit).
import { type DualMethod, multiplierStep } from '../constrained/multiplier.js';
import type { Collector } from './collector.js';
import type { ResolvedConstraints } from './constraints.js';

/** What one Lagrangian step reports (into UpdateStats). */
export interface LagrangianStats {
  /** Each constraint's per-step cost rate over the rollout. */
  costs: number[];
  /** The multipliers the policy step used (λ_k). */
  multipliers: number[];
}

/** Standardizes v in place over its entries (mean 0, std 1; std floored at 1e-8). */
function standardize(v: Float32Array | Float64Array): void {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i] as number;
  mean /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += ((v[i] as number) - mean) ** 2;
  const std = Math.max(Math.sqrt(s / v.length), 1e-8);
  for (let i = 0; i < v.length; i++) v[i] = ((v[i] as number) - mean) / std;
}

/**
 * Discounted cost-to-go minus its baseline ρ/(1 − γ), time-major [numSteps × numEnvs], written
 * into `out`. Terminated steps end the sum; truncated steps and the rollout's end bootstrap ρ/(1 − γ).
 */
export function costAdvantages(
  costs: Float64Array,
  terminated: Uint8Array,
  truncated: Uint8Array,
  numSteps: number,
  numEnvs: number,
  gamma: number,
  out: Float64Array,
): number {
  let rate = 0;
  for (let k = 0; k < costs.length; k++) rate += costs[k] as number;
  rate /= costs.length;
  const tail = gamma < 1 ? rate / (1 - gamma) : 0;
  for (let e = 0; e < numEnvs; e++) {
    let next = tail;
    for (let t = numSteps - 1; t >= 0; t--) {
      const k = t * numEnvs + e;
      const after = terminated[k] ? 0 : truncated[k] ? tail : next;
      next = (costs[k] as number) + gamma * after;
      out[k] = next - tail;
    }
  }
  return rate;
}

/** The multipliers and scratch of one constrained run. */
export class LagrangianPenalty {
  readonly lambda: Float64Array;
  private readonly prevSlack: Float64Array;
  private started = false;
  private readonly costs: Float64Array[];
  private readonly adv: Float64Array[];
  private readonly method: DualMethod;

  constructor(
    readonly spec: ResolvedConstraints,
    private readonly size: number,
    private readonly gamma: number,
  ) {
    const J = spec.constraints.length;
    this.lambda = new Float64Array(J).fill(spec.multiplier0);
    this.prevSlack = new Float64Array(J);
    this.costs = Array.from({ length: J }, () => new Float64Array(size));
    this.adv = Array.from({ length: J }, () => new Float64Array(size));
    this.method = spec.lagrangian;
  }

  /**
   * Computes the rollout's costs, replaces the collector's advantages by the Lagrangian ones
   * (returns, which train the reward critic, are untouched) and steps the multipliers.
   */
  apply(col: Collector): LagrangianStats {
    const { obsDim } = col;
    const numSteps = col.opts.numSteps;
    const box = col.actions instanceof Float32Array;
    const actDim = box ? col.actions.length / this.size : 1;
    const J = this.lambda.length;
    const rates: number[] = [];
    for (let j = 0; j < J; j++) {
      const cost = (this.spec.constraints[j] as { cost: (o: Float32Array, a: number | Float32Array) => number }).cost;
      const cj = this.costs[j] as Float64Array;
      for (let k = 0; k < this.size; k++) {
        const o = col.obs.subarray(k * obsDim, (k + 1) * obsDim);
        const a = box
          ? (col.actions as Float32Array).subarray(k * actDim, (k + 1) * actDim)
          : (col.actions[k] as number);
        const v = cost(o, a);
        if (!Number.isFinite(v))
          throw new RangeError(`rl.ppo.train: constraints[${j}].cost returned ${v} (expected a finite number)`);
        cj[k] = v;
      }
      const rate = costAdvantages(
        cj,
        col.terminated,
        col.truncated,
        numSteps,
        col.numEnvs,
        this.gamma,
        this.adv[j] as Float64Array,
      );
      standardize(this.adv[j] as Float64Array);
      rates.push(rate);
    }
    const adv = col.advantages;
    standardize(adv);
    let total = 0;
    for (let j = 0; j < J; j++) total += this.lambda[j] as number;
    for (let k = 0; k < this.size; k++) {
      let a = adv[k] as number;
      for (let j = 0; j < J; j++) a -= (this.lambda[j] as number) * ((this.adv[j] as Float64Array)[k] as number);
      adv[k] = a / (1 + total);
    }
    const used = Array.from(this.lambda);
    for (let j = 0; j < J; j++) {
      const slack = (rates[j] as number) - (this.spec.constraints[j] as { limit: number }).limit;
      const prev = this.started ? (this.prevSlack[j] as number) : slack;
      this.lambda[j] = multiplierStep(this.lambda[j] as number, slack, prev, this.spec.dualLr, this.method);
      this.prevSlack[j] = slack;
    }
    this.started = true;
    return { costs: rates, multipliers: used };
  }
}
