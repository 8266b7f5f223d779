// A PPO inner loop (Schulman et al. 2017) for the per-task adaptation: one inner update of task
// t's policy θ_t on its batch D_t (sampled with θ_t, advantages from the linear baseline and GAE,
// normalized per task: metaRl.maml's episodes) is `epochs` passes over D_t in `minibatches`
// shuffled minibatches, each an optimizer step on the clipped surrogate
//   L_m(θ) = −Σ_{k∈m} w_k min(ρ_k A_k, clip(ρ_k, 1 ± ε) A_k) / Σ_{k∈m} w_k,   ρ_k = π_θ(a_k|s_k) / π_{θ_t}(a_k|s_k),
// w_k the weighted_mean weight of the step (each episode's steps averaged, then the episodes), so
// with one minibatch at ρ = 1 the gradient is the VPG inner loss's −Σ w A ∇log π. The surrogate
// and its derivative w.r.t. the policy's outputs come from the rl objective kernel ('clip', the
// same one rl.ppo uses): it averages over its rows, so each row gets the advantage n·w_k·A_k / Σw
// (the clipped term is positively homogeneous in A, so the scale passes through the min and the
// clip). All tasks' minibatches go through one batched MLP forward and one batched VJP (threaded
// over tasks natively); one optimizer state covers the packed [T × S] block (Adam and SGD are
// elementwise, so it equals one optimizer per task), made fresh for each adaptation and carried
// across its inner updates.
import { getBackend } from '../../backend/index.js';
import { type RlObjectiveOptions, RlPolicyStats } from '../../backend/kernels/rl.js';
import { adam, sgd } from '../../optim/index.js';
import type { Optimizer, OptState } from '../../optim/types.js';
import { fold, type Key } from '../../random/index.js';
import { permutation } from '../../rl/minibatch.js';
import { checkKnownKeys } from '../../util/check.js';
import { checkOptions, type DefaultsOf, type OptionTableOf, option, withDefaults } from '../../util/options.js';
import type { TaskBatch } from './episodes.js';
import type { InnerLoop } from './evaluate.js';
import { taskObjectives } from './objectives.js';
import type { Policy } from './policy.js';

/** Settings of the PPO inner loop. */
export interface PpoInnerOptions {
  /** Passes over each inner batch per inner update. */
  epochs?: number;
  /** Shuffled minibatches per pass (per task: each task's steps are split this many ways). */
  minibatches?: number;
  /** ε of the ratio clip. */
  clip?: number;
  /** The inner optimizer's learning rate. */
  lr?: number;
  /** The inner optimizer: Adam (torch defaults besides lr) or plain SGD. */
  optimizer?: 'adam' | 'sgd';
}

/** The option table of the PPO inner loop. */
export const PPO_INNER_OPTIONS = {
  epochs: option.integer(1, 10_000, 'inner PPO epochs per inner update'),
  minibatches: option.integer(1, 1 << 16, 'inner PPO minibatches per epoch'),
  clip: option.number(1e-6, 1e6, 'inner PPO ratio clip ε'),
  lr: option.number(0, 1e6, 'inner optimizer learning rate'),
  optimizer: option.oneOf(['adam', 'sgd'] as const, 'inner optimizer'),
} as const satisfies OptionTableOf<PpoInnerOptions>;

/**
 * Defaults: PPO's clip 0.2 (Schulman et al. 2017) with 4 epochs of 4 minibatches and Adam at
 * 3e-3 (chosen on PointRobot-v0; the paper's 3e-4 barely moves a policy in k = 5 updates).
 */
export const PPO_INNER_DEFAULTS = {
  epochs: 4,
  minibatches: 4,
  clip: 0.2,
  lr: 3e-3,
  optimizer: 'adam',
} as const satisfies DefaultsOf<PpoInnerOptions>;

/** A checked PPO inner loop config with every default filled in. */
export type ResolvedPpoInner = Required<PpoInnerOptions>;

/** Fills in the defaults and checks every setting (errors name `${fn}: ppo: <setting>`). */
export function resolvePpoInner(given: unknown, fn: string): ResolvedPpoInner {
  if (given === undefined) given = {};
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new TypeError(`${fn}: ppo: expected { epochs, minibatches, clip, lr, optimizer }`);
  checkKnownKeys(given as Record<string, unknown>, Object.keys(PPO_INNER_OPTIONS), `${fn}: ppo`);
  const o: ResolvedPpoInner = { ...withDefaults(PPO_INNER_DEFAULTS, given as PpoInnerOptions) };
  checkOptions(PPO_INNER_OPTIONS, { ...o }, `${fn}: ppo`);
  return o;
}

/** One minibatch of every task, rows compacted per task. */
export interface TaskMinibatch {
  /** Task t owns rows rowStart[t] .. rowStart[t + 1]. */
  rowStart: Int32Array;
  obs: Float32Array;
  /** Box actions [rows × dim] (categorical: the action index as a float). */
  actions: Float32Array;
  /** log π_old(a|s) of the sampling policy. */
  logpOld: Float32Array;
  /** n_t · w_k A_k / Σ_{minibatch} w: the kernel's row mean is then the weighted mean surrogate. */
  adv: Float32Array;
}

/**
 * Minibatch m of `minibatches` of every task: task t's rows order[t][⌊m·n_t/M⌋ .. ⌊(m+1)·n_t/M⌋)
 * (order: task-local row indices; null keeps the batch order).
 */
export function gatherMinibatch(
  batch: TaskBatch,
  obsDim: number,
  dim: number,
  order: readonly (Int32Array | null)[],
  m: number,
  minibatches: number,
): TaskMinibatch {
  const T = batch.tasks;
  const rowStart = new Int32Array(T + 1);
  const span = (t: number): [number, number] => {
    const n = (batch.rowStart[t + 1] as number) - (batch.rowStart[t] as number);
    return [Math.floor((m * n) / minibatches), Math.floor(((m + 1) * n) / minibatches)];
  };
  for (let t = 0; t < T; t++) {
    const [a, b] = span(t);
    rowStart[t + 1] = (rowStart[t] as number) + b - a;
  }
  const N = rowStart[T] as number;
  const out: TaskMinibatch = {
    rowStart,
    obs: new Float32Array(N * obsDim),
    actions: new Float32Array(N * dim),
    logpOld: new Float32Array(N),
    adv: new Float32Array(N),
  };
  for (let t = 0; t < T; t++) {
    const [a, b] = span(t);
    const base = batch.rowStart[t] as number;
    const ord = order[t] ?? null;
    let wsum = 0;
    for (let j = a; j < b; j++) wsum += batch.weight[base + (ord ? (ord[j] as number) : j)] as number;
    const n = b - a;
    let k = rowStart[t] as number;
    for (let j = a; j < b; j++, k++) {
      const r = base + (ord ? (ord[j] as number) : j);
      out.obs.set(batch.obs.subarray(r * obsDim, (r + 1) * obsDim), k * obsDim);
      out.actions.set(batch.actions.subarray(r * dim, (r + 1) * dim), k * dim);
      out.logpOld[k] = batch.logpOld[r] as number;
      out.adv[k] = (n * (batch.weight[r] as number) * (batch.adv[r] as number)) / wsum;
    }
  }
  return out;
}

const EMPTY = new Float32Array(0);

/**
 * ∇L_m for every task at params [T × S] (rows of the result) and the mean over tasks of the
 * kernel's clip fraction: one batched forward, the rl objective kernel per task, one batched VJP.
 */
export function ppoMinibatchGrads(
  policy: Policy,
  mb: TaskMinibatch,
  params: Float32Array,
  clip: number,
): { grad: Float32Array; clipFraction: number } {
  const be = getBackend();
  const T = mb.rowStart.length - 1;
  const S = policy.size;
  const P = policy.mlpSize;
  const K = policy.mlp.outputSize;
  const W = new Float32Array(T * P);
  for (let t = 0; t < T; t++) W.set(params.subarray(t * S, t * S + P), t * P);
  const y = policy.mlp.forwardBatched(W, mb.obs, mb.rowStart);
  const dy = new Float32Array(y.length);
  const grad = new Float32Array(T * S);
  const stats = new RlPolicyStats();
  const opts: RlObjectiveOptions = { objective: 'clip', clipEps: clip, entCoef: 0, normalizeAdv: false };
  const D = policy.dim;
  const dLs = new Float32Array(D);
  const index = policy.kind === 'categorical' ? Int32Array.from(mb.actions) : undefined;
  let clipped = 0;
  for (let t = 0; t < T; t++) {
    const lo = mb.rowStart[t] as number;
    const hi = mb.rowStart[t + 1] as number;
    if (hi === lo) continue;
    const rows = { logp: mb.logpOld.subarray(lo, hi), adv: mb.adv.subarray(lo, hi) };
    if (index)
      be.rlCategoricalObjective(
        y.subarray(lo * K, hi * K),
        index.subarray(lo, hi),
        rows.logp,
        rows.adv,
        EMPTY,
        dy.subarray(lo * K, hi * K),
        stats,
        opts,
      );
    else {
      be.rlGaussianObjective(
        y.subarray(lo * D, hi * D),
        params.subarray(t * S + P, (t + 1) * S),
        mb.actions.subarray(lo * D, hi * D),
        rows.logp,
        rows.adv,
        EMPTY,
        EMPTY,
        dy.subarray(lo * D, hi * D),
        dLs,
        stats,
        opts,
      );
      grad.set(dLs, t * S + P);
    }
    clipped += stats.clipFraction;
  }
  const gW = policy.mlp.vjpBatched(W, mb.obs, mb.rowStart, dy);
  for (let t = 0; t < T; t++) grad.set(gW.subarray(t * P, (t + 1) * P), t * S);
  return { grad, clipFraction: clipped / T };
}

/**
 * One PPO inner update of the packed params [T × S] in place on `batch` (sampled with them):
 * π_old's log-probs into batch.logpOld, then epochs × minibatches optimizer steps. Returns the
 * mean clip fraction of the last epoch.
 */
export function ppoInnerUpdate(
  policy: Policy,
  batch: TaskBatch,
  params: Float32Array,
  o: ResolvedPpoInner,
  opt: Optimizer,
  state: OptState,
  key: Key,
): number {
  const T = batch.tasks;
  const S = policy.size;
  const obj = taskObjectives(policy, batch);
  for (let t = 0; t < T; t++) obj.logProb(params.subarray(t * S, (t + 1) * S), t, batch.logpOld);
  const obsDim = policy.mlp.inputSize;
  const order: (Int32Array | null)[] = Array.from({ length: T }, (_, t) =>
    o.minibatches > 1 ? new Int32Array((batch.rowStart[t + 1] as number) - (batch.rowStart[t] as number)) : null,
  );
  let clipFraction = 0;
  for (let e = 0; e < o.epochs; e++) {
    // One minibatch needs no shuffle (the sum is over the same rows), so it keeps the batch order.
    if (o.minibatches > 1)
      for (let t = 0; t < T; t++) {
        const ord = order[t] as Int32Array;
        permutation(fold(fold(key, e), t), ord.length, ord);
      }
    clipFraction = 0;
    for (let m = 0; m < o.minibatches; m++) {
      const mb = gatherMinibatch(batch, obsDim, policy.dim, order, m, o.minibatches);
      const g = ppoMinibatchGrads(policy, mb, params, o.clip);
      clipFraction += g.clipFraction / o.minibatches;
      opt.step(params, g.grad, state);
    }
  }
  return clipFraction;
}

/** The inner optimizer of `o`. */
export function ppoInnerOptimizer(o: ResolvedPpoInner): Optimizer {
  return o.optimizer === 'adam' ? adam({ lr: o.lr }) : sgd({ lr: o.lr });
}

/**
 * The PPO inner loop as adaptAll's InnerLoop: each adaptation gets a fresh optimizer state over
 * its tasks' packed parameters, carried across its inner updates.
 */
export function ppoInnerLoop(o: ResolvedPpoInner): InnerLoop {
  return (policy, tasks) => {
    const opt = ppoInnerOptimizer(o);
    const S = policy.size;
    let state: OptState | undefined;
    const params = new Float32Array(tasks * S);
    return (batch, thetas, key) => {
      for (let t = 0; t < tasks; t++) params.set(thetas[t] as Float32Array, t * S);
      state ??= opt.init(params);
      const clipFraction = ppoInnerUpdate(policy, batch, params, o, opt, state, key);
      return { thetas: Array.from({ length: tasks }, (_, t) => params.slice(t * S, (t + 1) * S)), clipFraction };
    };
  };
}
