// js twins of the envs kernels (native/core/envs), one file per environment, gathered here.
// They check their arguments like native/napi/envs.cc so both backends fail the same way.
import type { EnvKernels } from '../../kernels/envs.js';
import { derive, FOLD_DOMAIN } from '../rng/philox.js';
import { acrobot } from './acrobot.js';
import { bandit } from './bandit.js';
import { asBinding, checkActionValues, JsEnvBinding, stepBound } from './bound.js';
import { cartpole } from './cartpole.js';
import {
  type Actions,
  type Batch,
  type Config,
  type Dims,
  type EnvOps,
  parseConfig,
  resetAll,
  seedRows,
  stepRange,
} from './env.js';
import { mountainCar } from './mountain_car.js';
import { mountainCarContinuous } from './mountain_car_continuous.js';
import { navigation2d } from './navigation2d.js';
import { pendulum } from './pendulum.js';
import { pointRobot } from './point_robot.js';
import { tabularMdp } from './tabular_mdp.js';

/** Operations per kind, indexed by the Kind value. */
export const ENV_OPS: readonly EnvOps[] = [
  cartpole,
  acrobot,
  mountainCar,
  mountainCarContinuous,
  pendulum,
  bandit,
  tabularMdp,
  navigation2d,
  pointRobot,
];

export function opsOf(cfg: Config): EnvOps {
  return ENV_OPS[cfg.kind] as EnvOps;
}

function typed<T>(x: unknown, ctor: new (n: number) => T, name: string, length?: number): T {
  if (!(x instanceof (ctor as unknown as typeof Object)))
    throw new TypeError(`${name}: expected a ${(ctor as unknown as { name: string }).name}`);
  const len = (x as unknown as { length: number }).length;
  if (length !== undefined && len !== length) throw new RangeError(`${name}: expected length ${length}, got ${len}`);
  return x as T;
}

function batchArgs(d: Dims, state: unknown, tasks: unknown, elapsed: unknown, rng: unknown): Batch {
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

function configArg(config: unknown): Config {
  return parseConfig(typed(config, Int32Array, 'config', 4));
}

export const jsEnvKernels: EnvKernels = {
  envDims(config, out) {
    const cfg = configArg(config);
    const d = opsOf(cfg).dims(cfg);
    const o = typed(out, Int32Array, 'out', 5);
    o[0] = d.state;
    o[1] = d.obs;
    o[2] = d.action;
    o[3] = d.task;
    o[4] = d.discrete;
  },
  envSeed(key, rng) {
    typed(key, Uint32Array, 'key', 2);
    const r = typed(rng, Uint32Array, 'rng');
    if (r.length === 0 || r.length % 4 !== 0)
      throw new RangeError(`rng: expected a positive multiple of 4 elements, got ${r.length}`);
    seedRows(key, r);
  },
  envReset(config, state, tasks, elapsed, rng, obs) {
    const cfg = configArg(config);
    const op = opsOf(cfg);
    const d = op.dims(cfg);
    const b = batchArgs(d, state, tasks, elapsed, rng);
    resetAll(op, cfg, b, typed(obs, Float32Array, 'obs', d.obs * b.n));
  },
  envStep(config, state, tasks, elapsed, rng, actions, obs, reward, terminated, truncated, finalObs) {
    const cfg = configArg(config);
    const op = opsOf(cfg);
    const d = op.dims(cfg);
    const b = batchArgs(d, state, tasks, elapsed, rng);
    const a: Actions =
      d.discrete > 0
        ? typed(actions, Int32Array, 'actions', b.n)
        : typed(actions, Float32Array, 'actions', d.action * b.n);
    checkActionValues(d, a);
    const out = {
      obs: typed(obs, Float32Array, 'obs', d.obs * b.n),
      reward: typed(reward, Float32Array, 'reward', b.n),
      terminated: typed(terminated, Uint8Array, 'terminated', b.n),
      truncated: typed(truncated, Uint8Array, 'truncated', b.n),
      finalObs: typed(finalObs, Float32Array, 'finalObs', d.obs * b.n),
    };
    stepRange(op, cfg, b, a, out, 0, b.n);
  },
  envBind(config, state, tasks, elapsed, rng, obs, reward, terminated, truncated, finalObs) {
    const cfg = configArg(config);
    const op = opsOf(cfg);
    const d = op.dims(cfg);
    const b = batchArgs(d, state, tasks, elapsed, rng);
    const out = {
      obs: typed(obs, Float32Array, 'obs', d.obs * b.n),
      reward: typed(reward, Float32Array, 'reward', b.n),
      terminated: typed(terminated, Uint8Array, 'terminated', b.n),
      truncated: typed(truncated, Uint8Array, 'truncated', b.n),
      finalObs: typed(finalObs, Float32Array, 'finalObs', d.obs * b.n),
    };
    return asBinding(new JsEnvBinding({ ...cfg }, op, d, b, out));
  },
  envStepBound(binding, actions) {
    stepBound(binding, actions);
  },
  envSampleTasks(config, key, out) {
    const cfg = configArg(config);
    const k = typed(key, Uint32Array, 'key', 2);
    const o = typed(out, Float32Array, 'out');
    const op = opsOf(cfg);
    const dim = op.dims(cfg).task;
    if (dim === 0) {
      if (o.length !== 0) throw new RangeError('out: this environment has no task parameters (expected length 0)');
      return;
    }
    if (o.length % dim !== 0) throw new RangeError(`out: expected a multiple of the task size ${dim}, got ${o.length}`);
    const tk = new Uint32Array(2);
    for (let j = 0; j < o.length / dim; j++) {
      derive(k[0] as number, k[1] as number, j, FOLD_DOMAIN, tk);
      op.sampleTask?.(cfg, tk[0] as number, tk[1] as number, o, j * dim);
    }
  },
};
