// Episodes of a meta-batch, sampled in one vector env of tasks × episodesPerTask rows (row r runs
// task ⌊r / E⌋), each row one episode from a fresh reset, then turned into the per-task batches
// the inner and outer losses read, as pytorch-maml-rl's BatchEpisodes does:
//   - discounted returns within each episode, no bootstrap past its end (every end counts as
//     terminal, truncation at the step limit included, as there);
//   - a linear feature baseline fitted per task by ridge least squares on the returns, features
//     [s, s², t/100, (t/100)², (t/100)³, 1] (LinearFeatureBaseline, reg 1e-5, ×10 on failure);
//   - GAE(γ, λ) on that baseline, then advantages normalized per task with the weights below;
//   - a weight per step 1/(len_j · E): losses are averaged over each episode's steps, then over
//     the task's episodes (weighted_mean).
// Discrete actions are drawn from the softmax of the logits and stored as float indices.
// The per-task policies step together: one batched MLP forward (nn's forwardBatched, threaded over
// tasks natively) and one env step per time step.

import { solveDense } from '../../games/dense.js';
import { fold, type Key, normal, uniform } from '../../random/index.js';
import { discountedReturns, gae } from '../../rollout/gae.js';
import type { MetaEnv } from './env.js';
import type { Policy } from './policy.js';

/** The steps of one meta-batch's episodes, compacted per task (live steps only, episode-major). */
export interface TaskBatch {
  tasks: number;
  /** Task t owns rows rowStart[t] .. rowStart[t + 1]. */
  rowStart: Int32Array;
  obs: Float32Array;
  actions: Float32Array;
  /** 1 / (episode length · episodes per task): the weighted_mean weights (sum 1 per task). */
  weight: Float64Array;
  /** Advantages, normalized per task. */
  adv: Float64Array;
  /** log π(a|s) of the sampling policy (filled by the caller when a ratio is needed). */
  logpOld: Float64Array;
  /** Mean undiscounted episode return per task. */
  taskReturn: Float64Array;
  /** Env steps taken. */
  envSteps: number;
}

/** Discount and GAE settings of the advantages. */
export interface AdvantageOptions {
  gamma: number;
  gaeLambda: number;
}

const RIDGE = 1e-5;

/**
 * Samples one episode per row with task t's packed parameters params[t·size ..] and returns the
 * batch. The env's rows must already hold their tasks; it is reset here with `resetSeed`.
 */
export function sampleTaskBatch(
  env: MetaEnv,
  policy: Policy,
  params: Float32Array,
  tasks: number,
  key: Key,
  resetSeed: number,
  o: AdvantageOptions,
): TaskBatch {
  const R = env.numEnvs;
  const E = R / tasks;
  const D = policy.dim;
  const od = env.obsDim;
  const P = policy.mlpSize;
  const H = env.spec.maxEpisodeSteps;
  const weights = new Float32Array(tasks * P);
  const sigma = new Float32Array(tasks * D);
  for (let t = 0; t < tasks; t++) {
    weights.set(params.subarray(t * policy.size, t * policy.size + P), t * P);
    for (let d = 0; d < D && policy.kind === 'gaussian'; d++)
      sigma[t * D + d] = Math.exp(params[t * policy.size + P + d] as number);
  }
  const out = policy.mlp.outputSize;
  const envRowStart = Int32Array.from({ length: tasks + 1 }, (_, t) => t * E);
  const obsT = new Float32Array(H * R * od);
  const actT = new Float32Array(H * R * D);
  const rewT = new Float32Array(H * R);
  const endT = new Uint8Array(H * R);
  const length = new Int32Array(R);
  const mu = new Float32Array(R * out);
  const act = new Float32Array(R * D);
  const index = policy.kind === 'categorical' ? new Int32Array(R) : undefined;
  let obs = env.reset(resetSeed);
  let live = R;
  let steps = 0;
  for (let t = 0; t < H && live > 0; t++) {
    obsT.set(obs, t * R * od);
    policy.mlp.forwardBatched(weights, obs, envRowStart, mu);
    if (index) sampleCategorical(mu, out, uniform(fold(key, t), R), index, act);
    else {
      const eps = normal(fold(key, t), R * D);
      for (let i = 0; i < R * D; i++) {
        const task = Math.floor(i / (E * D));
        act[i] = (mu[i] as number) + (sigma[task * D + (i % D)] as number) * (eps[i] as number);
      }
    }
    actT.set(act, t * R * D);
    const r = env.step(index ?? act);
    steps++;
    for (let i = 0; i < R; i++) {
      if ((length[i] as number) > 0) continue;
      rewT[t * R + i] = r.reward[i] as number;
      if (r.terminated[i] || r.truncated[i]) {
        endT[t * R + i] = 1;
        length[i] = t + 1;
        live--;
      }
    }
    obs = r.obs;
  }
  for (let i = 0; i < R; i++) if ((length[i] as number) === 0) length[i] = steps;
  // Rows that never ended within the env's own limit (none for the registered envs) end here.
  for (let i = 0; i < R; i++) endT[((length[i] as number) - 1) * R + i] = 1;
  return toTaskBatch({ obsT, actT, rewT, endT, length, steps, tasks, E, od, D, R }, o);
}

/** a_i ~ softmax(logits row i) by inverting the CDF at u_i; the index into `index`, as a float into `act`. */
function sampleCategorical(
  logits: Float32Array,
  K: number,
  u: Float32Array,
  index: Int32Array,
  act: Float32Array,
): void {
  for (let i = 0; i < index.length; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < K; j++) m = Math.max(m, logits[i * K + j] as number);
    let s = 0;
    for (let j = 0; j < K; j++) s += Math.exp((logits[i * K + j] as number) - m);
    const target = (u[i] as number) * s;
    let a = K - 1; // rounding past the last edge falls on the last action
    for (let j = 0, c = 0; j < K; j++) {
      c += Math.exp((logits[i * K + j] as number) - m);
      if (target < c) {
        a = j;
        break;
      }
    }
    index[i] = a;
    act[i] = a;
  }
}

interface RawEpisodes {
  obsT: Float32Array;
  actT: Float32Array;
  rewT: Float32Array;
  endT: Uint8Array;
  length: Int32Array;
  steps: number;
  tasks: number;
  E: number;
  od: number;
  D: number;
  R: number;
}

function toTaskBatch(x: RawEpisodes, o: AdvantageOptions): TaskBatch {
  const { steps: T, R, od, D, E, tasks, length } = x;
  const tn = T * R;
  const rewards = x.rewT.subarray(0, tn);
  const terminated = x.endT.subarray(0, tn);
  const zeros = new Float32Array(tn);
  const input = {
    steps: T,
    numEnvs: R,
    rewards,
    terminated,
    truncated: new Uint8Array(tn),
    finalValues: zeros,
    lastValues: new Float32Array(R),
  };
  const returns = discountedReturns(input, { gamma: o.gamma });
  const values = new Float32Array(tn);
  const F = 2 * od + 4;
  for (let task = 0; task < tasks; task++) fitBaseline(x, returns, task, F, values);
  const { advantages } = gae({ ...input, values }, { gamma: o.gamma, lambda: o.gaeLambda });

  const rowStart = new Int32Array(tasks + 1);
  for (let i = 0; i < R; i++)
    rowStart[Math.floor(i / E) + 1] = (rowStart[Math.floor(i / E) + 1] as number) + (length[i] as number);
  for (let t = 0; t < tasks; t++) rowStart[t + 1] = (rowStart[t + 1] as number) + (rowStart[t] as number);
  const n = rowStart[tasks] as number;
  const b: TaskBatch = {
    tasks,
    rowStart,
    obs: new Float32Array(n * od),
    actions: new Float32Array(n * D),
    weight: new Float64Array(n),
    adv: new Float64Array(n),
    logpOld: new Float64Array(n),
    taskReturn: new Float64Array(tasks),
    envSteps: 0,
  };
  let k = 0;
  for (let i = 0; i < R; i++) {
    const len = length[i] as number;
    const w = 1 / (len * E);
    let ret = 0;
    for (let t = 0; t < len; t++, k++) {
      const j = t * R + i;
      for (let d = 0; d < od; d++) b.obs[k * od + d] = x.obsT[j * od + d] as number;
      for (let d = 0; d < D; d++) b.actions[k * D + d] = x.actT[j * D + d] as number;
      b.weight[k] = w;
      b.adv[k] = advantages[j] as number;
      ret += rewards[j] as number;
    }
    const task = Math.floor(i / E);
    b.taskReturn[task] = (b.taskReturn[task] as number) + ret / E;
    b.envSteps += len;
  }
  for (let t = 0; t < tasks; t++) normalizeTask(b, t);
  return b;
}

/** pytorch-maml-rl's weighted_normalize: (A − Σ w A) / (√(Σ w (A − mean)²) + 1e-8), per task. */
function normalizeTask(b: TaskBatch, task: number): void {
  const lo = b.rowStart[task] as number;
  const hi = b.rowStart[task + 1] as number;
  let mean = 0;
  let wsum = 0;
  for (let k = lo; k < hi; k++) {
    mean += (b.weight[k] as number) * (b.adv[k] as number);
    wsum += b.weight[k] as number;
  }
  mean /= wsum;
  let v = 0;
  for (let k = lo; k < hi; k++) v += (b.weight[k] as number) * ((b.adv[k] as number) - mean) ** 2;
  const inv = 1 / (Math.sqrt(v / wsum) + 1e-8);
  for (let k = lo; k < hi; k++) b.adv[k] = ((b.adv[k] as number) - mean) * inv;
}

/** Features of row i at time t: [s, s², t/100, (t/100)², (t/100)³, 1]. */
function features(x: RawEpisodes, i: number, t: number, out: Float64Array): void {
  const od = x.od;
  for (let d = 0; d < od; d++) {
    const s = x.obsT[(t * x.R + i) * od + d] as number;
    out[d] = s;
    out[od + d] = s * s;
  }
  const u = t / 100;
  out[2 * od] = u;
  out[2 * od + 1] = u * u;
  out[2 * od + 2] = u * u * u;
  out[2 * od + 3] = 1;
}

/** Ridge fit of the task's returns on its features; writes the fitted values of its live steps. */
function fitBaseline(x: RawEpisodes, returns: Float32Array, task: number, F: number, values: Float32Array): void {
  const xtx = new Float64Array(F * F);
  const xty = new Float64Array(F);
  const f = new Float64Array(F);
  for (let i = task * x.E; i < (task + 1) * x.E; i++)
    for (let t = 0; t < (x.length[i] as number); t++) {
      features(x, i, t, f);
      const y = returns[t * x.R + i] as number;
      for (let a = 0; a < F; a++) {
        xty[a] = (xty[a] as number) + (f[a] as number) * y;
        for (let c = 0; c < F; c++) xtx[a * F + c] = (xtx[a * F + c] as number) + (f[a] as number) * (f[c] as number);
      }
    }
  let coef: Float64Array | null = null;
  for (let reg = RIDGE, tries = 0; tries < 5 && coef === null; tries++, reg *= 10) {
    const a = xtx.slice();
    for (let d = 0; d < F; d++) a[d * F + d] = (a[d * F + d] as number) + reg;
    coef = solveDense(a, xty, F);
    if (coef?.some((c) => !Number.isFinite(c))) coef = null;
  }
  for (let i = task * x.E; i < (task + 1) * x.E; i++)
    for (let t = 0; t < (x.length[i] as number); t++) {
      features(x, i, t, f);
      let v = 0;
      if (coef) for (let a = 0; a < F; a++) v += (f[a] as number) * (coef[a] as number);
      values[t * x.R + i] = v;
    }
}
