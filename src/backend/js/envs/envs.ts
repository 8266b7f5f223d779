// The envs kernels: the twin of native/napi/envs.cc over the env twins (native/core/envs ↔ this
// folder). Each checks its arguments like the native glue, so both backends fail the same way.
import type { EnvKernels } from '../../kernels/envs.js';
import { derive, FOLD_DOMAIN } from '../rng/philox.js';
import { type Actions, opsOf, resetAll, seedRows, stepRange } from './env.js';
import { checkActionValues, configArg, envArgs, stepOutArgs, typed } from './envs_args.js';

export const envDims: EnvKernels['envDims'] = (config, out) => {
  const cfg = configArg(config);
  const d = opsOf(cfg).dims(cfg);
  const o = typed(out, Int32Array, 'out', 5);
  o[0] = d.state;
  o[1] = d.obs;
  o[2] = d.action;
  o[3] = d.task;
  o[4] = d.discrete;
};

export const envSeed: EnvKernels['envSeed'] = (key, rng) => {
  typed(key, Uint32Array, 'key', 2);
  const r = typed(rng, Uint32Array, 'rng');
  if (r.length === 0 || r.length % 4 !== 0)
    throw new RangeError(`rng: expected a positive multiple of 4 elements, got ${r.length}`);
  seedRows(key, r);
};

export const envReset: EnvKernels['envReset'] = (config, state, tasks, elapsed, rng, obs) => {
  const { cfg, op, d, b } = envArgs(config, state, tasks, elapsed, rng);
  resetAll(op, cfg, b, typed(obs, Float32Array, 'obs', d.obs * b.n));
};

export const envStep: EnvKernels['envStep'] = (
  config,
  state,
  tasks,
  elapsed,
  rng,
  actions,
  obs,
  reward,
  terminated,
  truncated,
  finalObs,
) => {
  const { cfg, op, d, b } = envArgs(config, state, tasks, elapsed, rng);
  const a: Actions =
    d.discrete > 0
      ? typed(actions, Int32Array, 'actions', b.n)
      : typed(actions, Float32Array, 'actions', d.action * b.n);
  checkActionValues(d, a);
  stepRange(op, cfg, b, a, stepOutArgs(d, b.n, obs, reward, terminated, truncated, finalObs), 0, b.n);
};

export const envSampleTasks: EnvKernels['envSampleTasks'] = (config, key, out) => {
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
};
