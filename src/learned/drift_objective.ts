// The learned drift as PPO's policy objective: `rl.ppo.train({ …, objective: { drift: θ, net } })`
// (LPO, Lu et al. 2022; TA-LPO, Jackson et al. 2024). The objective object is split off the config
// before it is resolved (the saved run records objective 'lpo'; θ is not saved with it), and turned
// into the objective kernel's options, whose progress the trainer sets each update.
import type { RlLpoObjective, RlObjectiveCommon } from '../backend/kernels/rl.js';
import { checkFloat32 } from '../util/check.js';
import type { DriftFunction } from './drift.js';

/** A learned drift as PPO's objective: loss = −mean(r·Â − D_θ(r, Â[, progress])). */
export interface LpoObjective {
  /** The drift's meta-parameters θ (`net.size` values), e.g. from `learned.discoverPolicyObjective`. */
  drift: Float32Array;
  /** The drift network θ is for: `learned.driftFunction({ hidden, temporal })`. */
  net: DriftFunction;
}

/**
 * Splits a learned objective off a PPO config: returns the config with objective 'lpo' (what
 * resolves and is saved) and the drift, or the config unchanged (and no drift) for a named
 * objective. 'lpo' by name, without its drift, is a TypeError.
 */
export function splitLpoObjective<C extends { objective?: unknown }>(
  config: C,
  fn: string,
): { config: C; lpo: LpoObjective | undefined } {
  const o = config.objective;
  if (o === 'lpo')
    throw new TypeError(
      `${fn}: objective: 'lpo' takes a learned drift: pass objective: { drift: theta, net: learned.driftFunction(…) }`,
    );
  if (typeof o !== 'object' || o === null) return { config, lpo: undefined };
  const { drift, net } = o as Partial<LpoObjective>;
  if (typeof net !== 'object' || net === null || typeof net.size !== 'number' || !Array.isArray(net.hidden))
    throw new TypeError(`${fn}: objective.net: expected a learned.driftFunction(…)`);
  checkFloat32(drift, `${fn}: objective.drift`);
  if (drift.length !== net.size)
    throw new RangeError(`${fn}: objective.drift: expected ${net.size} values (net.size), got ${drift.length}`);
  for (let i = 0; i < drift.length; i++)
    if (!Number.isFinite(drift[i])) throw new RangeError(`${fn}: objective.drift[${i}]: expected a finite number`);
  return { config: { ...config, objective: 'lpo' }, lpo: { drift, net } };
}

/**
 * The objective kernel's options for a learned drift (progress 0; trainers set it each update).
 * Without the drift (a saved 'lpo' run resumed without `objective`), a TypeError says to pass it.
 */
export function lpoKernelOptions(lpo: LpoObjective | undefined, common: RlObjectiveCommon): RlLpoObjective {
  if (lpo === undefined)
    throw new TypeError(
      "rl.ppo.train: objective: 'lpo' takes a learned drift; a run trained with one resumes only with objective: { drift, net } given again",
    );
  return {
    objective: 'lpo',
    ...common,
    driftTheta: lpo.drift,
    driftHidden: Int32Array.from(lpo.net.hidden),
    driftTemporal: lpo.net.temporal,
    driftProgress: 0,
  };
}

/** A trainer config whose `objective` may also be a learned drift. */
export type WithLpoObjective<C extends { objective?: unknown }> = Omit<C, 'objective'> & {
  /** A named objective, or a learned drift `{ drift: θ, net }` (LPO / TA-LPO; 'lpo' by name alone is refused). */
  objective?: C['objective'] | LpoObjective;
};
