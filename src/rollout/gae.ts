// GAE and discounted returns with correct bootstrapping at truncation.
import { getBackend } from '../backend/index.js';
import { checkFloat32, checkInteger, checkRange } from '../util/check.js';

/** The per-step arrays GAE reads, time-major [steps × numEnvs] (a Trajectory has them all). */
export interface GaeInput {
  steps: number;
  numEnvs: number;
  rewards: Float32Array;
  values: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** Value of the pre-reset observation where truncated (and not terminated). */
  finalValues: Float32Array;
  /** [numEnvs] value of the observation after the last step. */
  lastValues: Float32Array;
}

function checkInput(x: GaeInput): number {
  if (typeof x !== 'object' || x === null)
    throw new TypeError(
      'input: expected { steps, numEnvs, rewards, values, terminated, truncated, finalValues, lastValues }',
    );
  checkInteger(x.steps, 'steps', 1);
  checkInteger(x.numEnvs, 'numEnvs', 1);
  const tn = x.steps * x.numEnvs;
  checkFloat32(x.rewards, 'rewards', tn);
  checkFloat32(x.values, 'values', tn);
  if (!(x.terminated instanceof Uint8Array) || x.terminated.length !== tn)
    throw new TypeError(`terminated: expected a Uint8Array of length ${tn}`);
  if (!(x.truncated instanceof Uint8Array) || x.truncated.length !== tn)
    throw new TypeError(`truncated: expected a Uint8Array of length ${tn}`);
  checkFloat32(x.finalValues, 'finalValues', tn);
  checkFloat32(x.lastValues, 'lastValues', x.numEnvs);
  return tn;
}

/**
 * Generalized advantage estimates and returns (= advantages + values), [steps × numEnvs].
 * Where `terminated`, nothing is bootstrapped; where `truncated`, the bootstrap is the value of
 * the true last observation (`finalValues`), not zero as in CleanRL / PureJaxRL; after the last
 * step it is `lastValues`. Advantages never flow across an episode boundary.
 */
export function gae(
  x: GaeInput,
  opts: { gamma: number; lambda: number },
): { advantages: Float32Array; returns: Float32Array } {
  const tn = checkInput(x);
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options: expected { gamma, lambda }');
  checkRange(opts.gamma, 'gamma', 0, 1);
  checkRange(opts.lambda, 'lambda', 0, 1);
  const advantages = new Float32Array(tn);
  const returns = new Float32Array(tn);
  getBackend().gae(x.rewards, x.values, x.terminated, x.truncated, x.finalValues, x.lastValues, advantages, returns, {
    gamma: opts.gamma,
    lambda: opts.lambda,
  });
  return { advantages, returns };
}

/**
 * Discounted returns Σ γ^k r_{t+k} within each episode, bootstrapped from `finalValues` at
 * truncation and from `lastValues` after the last step (pass zeros for pure Monte Carlo).
 */
export function discountedReturns(x: Omit<GaeInput, 'values'>, opts: { gamma: number }): Float32Array {
  if (typeof x !== 'object' || x === null)
    throw new TypeError('input: expected { steps, numEnvs, rewards, terminated, truncated, finalValues, lastValues }');
  checkInteger(x.steps, 'steps', 1);
  checkInteger(x.numEnvs, 'numEnvs', 1);
  checkFloat32(x.rewards, 'rewards', x.steps * x.numEnvs);
  if (typeof opts !== 'object' || opts === null) throw new TypeError('options: expected { gamma }');
  const values = new Float32Array(x.steps * x.numEnvs);
  return gae({ ...x, values }, { gamma: opts.gamma, lambda: 1 }).returns;
}
