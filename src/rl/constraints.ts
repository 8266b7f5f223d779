// Constraint specifications for constrained RL: a cost signal per transition, computed on the
// rollout side from the observation the action was taken in (so no env kernel changes), and the
// limit on its expected per-step rate. Built-in costs for CartPole (position / velocity beyond a
// bound) and a hazard region (a ball in some observation coordinates, e.g. a point robot's x, y).
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';

/**
 * A per-step cost c(sₜ, aₜ) of taking `action` in the (raw) observation `obs` (a view of one row;
 * do not keep it). Discrete actions come as an index, box actions as a view of the sampled action.
 */
export type CostFn = (obs: Float32Array, action: number | Float32Array) => number;

/** One constraint: E[c(sₜ, aₜ)] ≤ limit, the expectation over the rollouts' steps (a cost rate). */
export interface Constraint {
  cost: CostFn;
  /** Upper bound on the expected per-step cost (≥ 0 for 0/1 costs; any finite number). */
  limit: number;
  /** A label for logs (default `c0`, `c1`, …). */
  name?: string;
}

/** The Lagrangian options `rl.ppo.train` takes beside its PPO ones. */
export interface ConstrainedConfig {
  /** Constraints on per-step cost rates; without them PPO runs unchanged. */
  constraints?: readonly Constraint[];
  /** Multiplier update: 'gda' (projected ascent) or 'reload' (optimistic ascent) (default 'gda'). */
  lagrangian?: 'gda' | 'reload';
  /** Multiplier step size per update (default 1). */
  dualLr?: number;
  /** Starting multiplier of every constraint (default 0). */
  multiplier0?: number;
}

/** ConstrainedConfig with every field checked and filled in. */
export interface ResolvedConstraints {
  constraints: readonly Constraint[];
  lagrangian: 'gda' | 'reload';
  dualLr: number;
  multiplier0: number;
}

export const CONSTRAINED_KEYS = ['constraints', 'lagrangian', 'dualLr', 'multiplier0'] as const;

/** Checks the constraint options; throws TypeError/RangeError naming the option. */
export function resolveConstraints(c: ConstrainedConfig, fn: string): ResolvedConstraints {
  const list = c.constraints;
  if (!Array.isArray(list) || list.length === 0)
    throw new TypeError(`${fn}: constraints: expected a non-empty array of { cost, limit }`);
  list.forEach((k: Constraint, i) => {
    if (typeof k !== 'object' || k === null) throw new TypeError(`${fn}: constraints[${i}]: expected { cost, limit }`);
    checkKnownKeys(k, ['cost', 'limit', 'name'], `${fn}: constraints[${i}]`);
    if (typeof k.cost !== 'function') throw new TypeError(`${fn}: constraints[${i}].cost: expected a function`);
    checkRange(k.limit, `${fn}: constraints[${i}].limit`, -Number.MAX_VALUE, Number.MAX_VALUE);
    if (k.name !== undefined && typeof k.name !== 'string')
      throw new TypeError(`${fn}: constraints[${i}].name: expected a string`);
  });
  const lagrangian = c.lagrangian ?? 'gda';
  if (lagrangian !== 'gda' && lagrangian !== 'reload')
    throw new RangeError(`${fn}: lagrangian: expected 'gda' or 'reload', got ${String(lagrangian)}`);
  const dualLr = c.dualLr ?? 1;
  checkRange(dualLr, `${fn}: dualLr`, 0, 1e9);
  const multiplier0 = c.multiplier0 ?? 0;
  checkRange(multiplier0, `${fn}: multiplier0`, 0, 1e9);
  return { constraints: list, lagrangian, dualLr, multiplier0 };
}

/** 1 when |obs[index]| > bound, else 0 (CartPole: index 0 is the cart position, 1 its velocity). */
export function outside(index: number, bound: number): CostFn {
  checkInteger(index, 'rl.costs.outside: index', 0);
  checkRange(bound, 'rl.costs.outside: bound', 0, Number.MAX_VALUE);
  return (obs) => (Math.abs(obs[index] as number) > bound ? 1 : 0);
}

/** CartPole: cost 1 while the cart is farther than `bound` from the centre (default 0.5 of the ±2.4 track). */
export const cartpolePosition = (bound = 0.5): CostFn => outside(0, bound);

/** CartPole: cost 1 while the cart moves faster than `bound` (default 0.5). */
export const cartpoleVelocity = (bound = 0.5): CostFn => outside(1, bound);

/** A ball-shaped hazard region for `costs.hazard`, in observation coordinates. */
export interface HazardOptions {
  /** Centre of the hazard in the chosen observation coordinates. */
  center: Float32Array;
  /** Radius (> 0). */
  radius: number;
  /** Which observation coordinates hold the position (default [0, 1]). */
  indices?: readonly number[];
}

/** Cost 1 inside the ball ‖obs[indices] − center‖ < radius (a point robot's hazard region), else 0. */
export function hazard(options: HazardOptions): CostFn {
  checkKnownKeys(options, ['center', 'radius', 'indices'], 'rl.costs.hazard');
  const idx = options.indices ?? [0, 1];
  if (!Array.isArray(idx) || idx.length === 0)
    throw new TypeError('rl.costs.hazard: indices: expected a non-empty array of observation indices');
  for (let i = 0; i < idx.length; i++) checkInteger(idx[i], `rl.costs.hazard: indices[${i}]`, 0);
  checkFloat32(options.center, `rl.costs.hazard: center (one entry per index, ${idx.length})`, idx.length);
  checkRange(options.radius, 'rl.costs.hazard: radius', Number.MIN_VALUE, Number.MAX_VALUE);
  const c = options.center.slice();
  const r2 = options.radius ** 2;
  return (obs) => {
    let d = 0;
    for (let i = 0; i < idx.length; i++) d += ((obs[idx[i] as number] as number) - (c[i] as number)) ** 2;
    return d < r2 ? 1 : 0;
  };
}
