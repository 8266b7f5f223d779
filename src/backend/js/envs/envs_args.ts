// Argument readers shared by the envs twins (envs.ts: per-call form; envs_bound.ts: bound form):
// the twin of native/napi/envs_args.h, so both backends fail the same way.
import {
  type Actions,
  type Batch,
  type Config,
  type Dims,
  firstInvalidAction,
  opsOf,
  parseConfig,
  type StepOut,
} from './env.js';
import type { EnvOps } from './ops.js';

/** x as a typed array of ctor (TypeError otherwise), of the given length when one is given (RangeError). */
export function typed<T>(x: unknown, ctor: new (n: number) => T, name: string, length?: number): T {
  if (!(x instanceof (ctor as unknown as typeof Object)))
    throw new TypeError(`${name}: expected a ${(ctor as unknown as { name: string }).name}`);
  const len = (x as unknown as { length: number }).length;
  if (length !== undefined && len !== length) throw new RangeError(`${name}: expected length ${length}, got ${len}`);
  return x as T;
}

export function configArg(config: unknown): Config {
  return parseConfig(typed(config, Int32Array, 'config', 4));
}

/** The first five arguments of a stepping kernel: the config (with its twin and dims) and the batch. */
export function envArgs(
  config: unknown,
  state: unknown,
  tasks: unknown,
  elapsed: unknown,
  rng: unknown,
): { cfg: Config; op: EnvOps; d: Dims; b: Batch } {
  const cfg = configArg(config);
  const op = opsOf(cfg);
  const d = op.dims(cfg);
  return { cfg, op, d, b: batchArgs(d, state, tasks, elapsed, rng) };
}

/** state, tasks, elapsed and rng, checked against n = elapsed.length. */
export function batchArgs(d: Dims, state: unknown, tasks: unknown, elapsed: unknown, rng: unknown): Batch {
  const el = typed(elapsed, Int32Array, 'elapsed');
  const n = el.length;
  if (n === 0) throw new RangeError('elapsed: expected at least one env (length >= 1)');
  return {
    n,
    state: typed(state, Float32Array, 'state', d.state * n),
    tasks: typed(tasks, Float32Array, 'tasks', d.task * n),
    elapsed: el,
    rng: typed(rng, Uint32Array, 'rng', 4 * n),
  };
}

/** obs, reward, terminated, truncated and finalObs for n rows. */
export function stepOutArgs(
  d: Dims,
  n: number,
  obs: unknown,
  reward: unknown,
  terminated: unknown,
  truncated: unknown,
  finalObs: unknown,
): StepOut {
  return {
    obs: typed(obs, Float32Array, 'obs', d.obs * n),
    reward: typed(reward, Float32Array, 'reward', n),
    terminated: typed(terminated, Uint8Array, 'terminated', n),
    truncated: typed(truncated, Uint8Array, 'truncated', n),
    finalObs: typed(finalObs, Float32Array, 'finalObs', d.obs * n),
  };
}

/** Throws a RangeError naming the first action a step would reject. */
export function checkActionValues(d: Dims, a: Actions): void {
  const bad = firstInvalidAction(d, a);
  if (bad < 0) return;
  if (d.discrete > 0) throw new RangeError(`actions[${bad}]: expected an integer in [0, ${d.discrete}), got ${a[bad]}`);
  throw new RangeError(`actions[${bad}]: expected a number, got NaN`);
}
