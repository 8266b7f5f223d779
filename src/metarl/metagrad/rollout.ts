// On-policy rollouts of T steps from B envs (row t·B + b), sampled from the actor's softmax with
// the backend's categorical kernel; the env keeps running across rollouts (online agent).
import { getBackend } from '../../backend/index.js';
import type { VectorEnv } from '../../envs/vector_env.js';
import * as random from '../../random/index.js';
import type { AgentNets } from './nets.js';

/** A fixed batch of experience: the τ of an inner update or the τ' of the outer objective. */
export interface Rollout {
  steps: number;
  envs: number;
  /** [T·B × obsDim] observations s_t. */
  obs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** [T·B × obsDim] the observation each step reached before any reset (bootstrap at truncations). */
  finalObs: Float32Array;
  /** [B × obsDim] s_T, the observation after the last step. */
  lastObs: Float32Array;
}

/** Episode bookkeeping across rollouts: returns of finished episodes and the reward rate. */
export class EpisodeLog {
  readonly running: Float64Array;
  readonly runningLength: Int32Array;
  readonly finished: number[] = [];
  readonly lengths: number[] = [];
  constructor(envs: number) {
    this.running = new Float64Array(envs);
    this.runningLength = new Int32Array(envs);
  }
  /** Mean length of the last `window` finished episodes (NaN before any). */
  meanLength(window = 100): number {
    const f = this.lengths.slice(-window);
    return f.length === 0 ? Number.NaN : f.reduce((a, b) => a + b, 0) / f.length;
  }
  /** Mean of the last `window` finished episodes' returns (NaN before any). */
  meanReturn(window = 100): number {
    const f = this.finished.slice(-window);
    return f.length === 0 ? Number.NaN : f.reduce((a, b) => a + b, 0) / f.length;
  }
}

/** Collects one rollout with actor parameters from theta, conditioned on `cond`. */
export function collect(
  nets: AgentNets,
  theta: Float32Array,
  cond: ArrayLike<number>,
  env: VectorEnv,
  steps: number,
  key: random.Key,
  log: EpisodeLog,
): Rollout {
  const B = env.numEnvs;
  const d = nets.obsDim;
  const k = nets.numActions;
  const r: Rollout = {
    steps,
    envs: B,
    obs: new Float32Array(steps * B * d),
    actions: new Int32Array(steps * B),
    rewards: new Float32Array(steps * B),
    terminated: new Uint8Array(steps * B),
    truncated: new Uint8Array(steps * B),
    finalObs: new Float32Array(steps * B * d),
    lastObs: new Float32Array(B * d),
  };
  const logits = new Float32Array(B * k);
  const logp = new Float32Array(B);
  const b = getBackend();
  const thetaA = nets.actorParams(theta);
  for (let t = 0; t < steps; t++) {
    const obs = env.obs;
    r.obs.set(obs, t * B * d);
    nets.actor.forwardInto(thetaA, nets.inputs(obs, B, cond), B, logits);
    const act = r.actions.subarray(t * B, (t + 1) * B);
    b.rlCategoricalSample(B, k, logits, random.uniform(random.fold(key, t), B), act, logp);
    const s = env.step(act);
    r.rewards.set(s.reward, t * B);
    r.terminated.set(s.terminated, t * B);
    r.truncated.set(s.truncated, t * B);
    r.finalObs.set(s.finalObs, t * B * d);
    for (let i = 0; i < B; i++) {
      log.running[i] = (log.running[i] as number) + (s.reward[i] as number);
      log.runningLength[i] = (log.runningLength[i] as number) + 1;
      if (s.terminated[i] || s.truncated[i]) {
        log.finished.push(log.running[i] as number);
        log.lengths.push(log.runningLength[i] as number);
        log.running[i] = 0;
        log.runningLength[i] = 0;
      }
    }
  }
  r.lastObs.set(env.obs);
  return r;
}
