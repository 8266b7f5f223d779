// Collects a batch of RL² trials: every row gets a fresh task, the hidden state starts at zero
// (the reset between trials) and is carried through every step of the trial, across the episode
// boundaries inside it; the env's same-step autoreset starts the next episode of the same task.
import type { VectorEnv } from '../../envs/vector_env.js';
import type { Rng } from '../rng.js';
import { writeInput } from './inputs.js';
import type { Rl2Model } from './model.js';

/** A batch of whole trials, time-major [steps × batch]. */
export interface TrialBatch {
  readonly steps: number;
  readonly batch: number;
  /** [steps × batch × inputSize] the inputs the policy saw. */
  readonly xs: Float64Array;
  readonly actions: Int32Array;
  readonly logp: Float64Array;
  readonly values: Float64Array;
  readonly rewards: Float64Array;
  /** [steps × batch] 1 where the step ended an episode. */
  readonly dones: Uint8Array;
  /** [batch] total reward of each trial. */
  readonly trialReturns: Float64Array;
}

/** Samples an action from softmax(logits[off … off + A)) and returns it with its log-probability. */
export function sampleCategorical(logits: ArrayLike<number>, off: number, A: number, u: number): [number, number] {
  let m = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < A; a++) m = Math.max(m, logits[off + a] as number);
  let z = 0;
  for (let a = 0; a < A; a++) z += Math.exp((logits[off + a] as number) - m);
  let target = u * z;
  let pick = A - 1;
  for (let a = 0; a < A; a++) {
    target -= Math.exp((logits[off + a] as number) - m);
    if (target < 0) {
      pick = a;
      break;
    }
  }
  return [pick, (logits[off + pick] as number) - m - Math.log(z)];
}

/**
 * Plays `steps` steps on every row of `env` (tasks already set) from a reset: one trial per row.
 */
export function collectTrials(
  model: Rl2Model,
  params: ArrayLike<number>,
  env: VectorEnv,
  steps: number,
  rng: Rng,
): TrialBatch {
  const B = env.numEnvs;
  const I = model.inputSize;
  const A = model.actions;
  const obsDim = env.obsDim;
  const xs = new Float64Array(steps * B * I);
  const actions = new Int32Array(steps * B);
  const logp = new Float64Array(steps * B);
  const values = new Float64Array(steps * B);
  const rewards = new Float64Array(steps * B);
  const dones = new Uint8Array(steps * B);
  const trialReturns = new Float64Array(B);
  const prevA = new Int32Array(B).fill(-1);
  const prevR = new Float64Array(B);
  const prevD = new Float64Array(B);
  let h: Float64Array = new Float64Array(B * model.stateSize);
  let obs = env.reset();
  const act = new Int32Array(B);
  for (let t = 0; t < steps; t++) {
    const x = xs.subarray(t * B * I, (t + 1) * B * I);
    for (let b = 0; b < B; b++)
      writeInput(x, b * I, obs, b * obsDim, obsDim, A, prevA[b] as number, prevR[b] as number, prevD[b] as number);
    const f = model.forward(params, x, 1, B, h);
    h = f.state;
    for (let b = 0; b < B; b++) {
      const [a, lp] = sampleCategorical(f.logits, b * A, A, rng.uniform());
      act[b] = a;
      actions[t * B + b] = a;
      logp[t * B + b] = lp;
      values[t * B + b] = f.values[b] as number;
    }
    const r = env.step(act);
    for (let b = 0; b < B; b++) {
      const x1 = r.reward[b] as number;
      const d = (r.terminated[b] as number) | (r.truncated[b] as number);
      rewards[t * B + b] = x1;
      dones[t * B + b] = d;
      trialReturns[b] = (trialReturns[b] as number) + x1;
      prevA[b] = act[b] as number;
      prevR[b] = x1;
      prevD[b] = d;
    }
    obs = r.obs;
  }
  return { steps, batch: B, xs, actions, logp, values, rewards, dones, trialReturns };
}
