// The bound form of the env step: the twin of native/napi/envs_bound.cc. envBind checks the
// buffers once; envStepBound checks the actions, and that no bound buffer was detached or resized
// (a typed array over a detached buffer reads as empty, which would step garbage silently).
import type { EnvBinding, EnvKernels } from '../../kernels/envs.js';
import { type Actions, type Batch, type Config, type Dims, type StepOut, stepRange } from './env.js';
import { checkActionValues, envArgs, stepOutArgs } from './envs_args.js';
import type { EnvOps } from './ops.js';

/** What envBind returns on the js backend. */
class JsEnvBinding {
  constructor(
    readonly cfg: Config,
    readonly op: EnvOps,
    readonly dims: Dims,
    readonly batch: Batch,
    readonly out: StepOut,
  ) {}

  /** Throws when a bound array no longer has its bound length (detached or resized buffer). */
  checkLive(): void {
    const { batch: b, out, dims: d } = this;
    const n = b.n;
    if (
      b.elapsed.length !== n ||
      b.state.length !== d.state * n ||
      b.tasks.length !== d.task * n ||
      b.rng.length !== 4 * n ||
      out.obs.length !== d.obs * n ||
      out.reward.length !== n ||
      out.terminated.length !== n ||
      out.truncated.length !== n ||
      out.finalObs.length !== d.obs * n
    )
      throw new TypeError('handle: a buffer bound by envBind was detached or resized since; bind the env again');
  }
}

export const envBind: EnvKernels['envBind'] = (
  config,
  state,
  tasks,
  elapsed,
  rng,
  obs,
  reward,
  terminated,
  truncated,
  finalObs,
) => {
  const { cfg, op, d, b } = envArgs(config, state, tasks, elapsed, rng);
  const out = stepOutArgs(d, b.n, obs, reward, terminated, truncated, finalObs);
  return new JsEnvBinding({ ...cfg }, op, d, b, out) as unknown as EnvBinding;
};

export const envStepBound: EnvKernels['envStepBound'] = (binding, actions) => {
  if (!(binding instanceof JsEnvBinding)) throw new TypeError('handle: expected a handle returned by envBind');
  binding.checkLive();
  const d = binding.dims;
  const n = binding.batch.n;
  let a: Actions;
  if (d.discrete > 0) {
    if (!(actions instanceof Int32Array)) throw new TypeError('actions: expected a Int32Array');
    a = actions;
    if (a.length !== n) throw new RangeError(`actions: expected length ${n}, got ${a.length}`);
  } else {
    if (!(actions instanceof Float32Array)) throw new TypeError('actions: expected a Float32Array');
    a = actions;
    if (a.length !== d.action * n) throw new RangeError(`actions: expected length ${d.action * n}, got ${a.length}`);
  }
  checkActionValues(d, a);
  stepRange(binding.op, binding.cfg, binding.batch, a, binding.out, 0, n);
};
