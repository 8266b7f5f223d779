// One meta-batch's data and the outer objective over it: the tasks, the inner batches D_0 … D_{K−1}
// (each sampled with the policies adapted so far), the adaptation paths θ_0 … θ_K per task, and the
// validation batch sampled with θ_K, whose surrogate, mean KL and Fisher product through the
// adaptation the outer loops (TRPO, PPO) read. Task-averaged, as pytorch-maml-rl sums the tasks'
// losses and divides by their number.
import { bits, fold, type Key } from '../../random/index.js';
import { adaptTask, backThroughAdaptation, forwardThroughAdaptation } from './adaptation.js';
import { BatchProducts, innerGrads, packStep, throughAdaptation } from './batched.js';
import type { ResolvedMaml } from './config.js';
import { type MetaEnv, makeMetaEnv } from './env.js';
import { sampleTaskBatch, type TaskBatch } from './episodes.js';
import { type PolicyObjectives, taskObjectives } from './objectives.js';
import type { Policy } from './policy.js';

/** Vector envs by row count, created once and reused (their rows take new tasks per batch). */
export class EnvPool {
  private readonly envs = new Map<number, MetaEnv>();
  constructor(
    private readonly c: ResolvedMaml,
    private readonly fn = 'metaRl.maml',
    /** The oracle's envs: tasks appended to the observations. */
    private readonly observeTask = false,
  ) {}
  get(rows: number): MetaEnv {
    let env = this.envs.get(rows);
    if (!env) {
      env = makeMetaEnv(this.c.env, this.c.envOptions, rows, this.fn, this.observeTask);
      this.envs.set(rows, env);
    }
    return env;
  }
  /** A vector env of the configured kind (task sampling, dims). */
  any(): MetaEnv {
    return this.get(1);
  }
  close(): void {
    for (const e of this.envs.values()) e.close();
    this.envs.clear();
  }
}

/**
 * Samples `episodes` episodes per task with per-task packed parameters (thetas[t]) on tasks
 * [T × taskDim]; deterministic in `key`.
 */
export function sampleBatch(
  pool: EnvPool,
  policy: Policy,
  c: ResolvedMaml,
  thetas: readonly Float32Array[],
  tasks: Float32Array,
  episodes: number,
  key: Key,
): TaskBatch {
  const T = thetas.length;
  const env = pool.get(T * episodes);
  const td = env.taskDim;
  const rowTasks = new Float32Array(T * episodes * td);
  for (let r = 0; r < T * episodes; r++) {
    const t = Math.floor(r / episodes);
    for (let j = 0; j < td; j++) rowTasks[r * td + j] = tasks[t * td + j] as number;
  }
  env.setTasks(rowTasks);
  const params = new Float32Array(T * policy.size);
  for (let t = 0; t < T; t++) params.set(thetas[t] as Float32Array, t * policy.size);
  const resetSeed = (bits(fold(key, 0x7fffffff), 1)[0] as number) >>> 1;
  return sampleTaskBatch(env, policy, params, T, fold(key, 1), resetSeed, c);
}

/**
 * One inner VPG step θ_t − α∇L_t(θ_t) for every task t on `obj`'s batch: one batched gradient
 * for Gaussian policies, per task otherwise (the same arithmetic as adaptTask).
 */
export function innerStep(
  policy: Policy,
  obj: PolicyObjectives,
  thetas: readonly Float32Array[],
  lr: number,
): Float32Array[] {
  if (policy.kind !== 'gaussian') return thetas.map((th, t) => adaptTask(th, t, [obj], lr)[1] as Float32Array);
  const n = policy.size;
  const params = new Float32Array(thetas.length * n);
  for (let t = 0; t < thetas.length; t++) params.set(thetas[t] as Float32Array, t * n);
  const G = innerGrads(policy, obj.batch, params);
  return thetas.map((th, t) => {
    const next = new Float32Array(n);
    for (let i = 0; i < n; i++) next[i] = (th[i] as number) - lr * (G[t * n + i] as number);
    return next;
  });
}

/** Weighted-mean return of a batch over its tasks. */
export const meanReturn = (b: TaskBatch): number => b.taskReturn.reduce((s, x) => s + x, 0) / b.tasks;

/** The data of one meta-iteration and the outer objective's pieces over it. */
export class MetaBatch {
  readonly T: number;
  readonly valid: PolicyObjectives;
  /** Means and log-std of π_old = π_{θ_K} on the validation steps, per task. */
  private readonly oldMu: Float32Array[];
  private readonly oldS: Float32Array[];
  /**
   * Gaussian policies: the batched products (one kernel call per product for all tasks) — the
   * inner Hessians per step, the validation Fisher — and θ_0 … θ_K packed [T × S] per step.
   */
  private readonly batched?: { inner: BatchProducts[]; fisher: BatchProducts };

  /**
   * A meta-batch from given inner objectives (one per inner step), adaptation paths and the
   * validation batch; π_old and the validation log-probs are those of θ_K (ratio 1 at θ_old).
   */
  constructor(
    readonly policy: Policy,
    readonly c: ResolvedMaml,
    readonly inner: PolicyObjectives[],
    readonly paths: Float32Array[][],
    validBatch: TaskBatch,
  ) {
    this.T = paths.length;
    this.valid = taskObjectives(policy, validBatch);
    this.oldMu = [];
    this.oldS = [];
    const adapted = this.adapted();
    for (let t = 0; t < this.T; t++) {
      const th = adapted[t] as Float32Array;
      this.valid.logProb(th, t, validBatch.logpOld);
      this.oldMu.push(this.valid.means(th, t));
      this.oldS.push(th.slice(policy.mlpSize));
    }
    if (policy.kind === 'gaussian')
      this.batched = {
        inner: inner.map((o, k) => BatchProducts.inner(policy, o.batch, packStep(paths, k, policy.size), `inner${k}`)),
        fisher: BatchProducts.fisher(policy, validBatch, packStep(paths, inner.length, policy.size), 'fisher'),
      };
  }

  /** Samples a meta-batch: K inner batches (each with the policies adapted so far), then the validation batch. */
  static sample(
    policy: Policy,
    c: ResolvedMaml,
    pool: EnvPool,
    theta: Float32Array,
    tasks: Float32Array,
    key: Key,
  ): MetaBatch {
    const T = tasks.length / pool.any().taskDim;
    const paths = Array.from({ length: T }, () => [theta]);
    const inner: PolicyObjectives[] = [];
    for (let k = 0; k < c.innerSteps; k++) {
      const last = paths.map((p) => p[p.length - 1] as Float32Array);
      const obj = taskObjectives(policy, sampleBatch(pool, policy, c, last, tasks, c.episodesPerTask, fold(key, k)));
      inner.push(obj);
      const next = innerStep(policy, obj, last, c.innerLr);
      for (let t = 0; t < T; t++) (paths[t] as Float32Array[]).push(next[t] as Float32Array);
    }
    const adapted = paths.map((p) => p[p.length - 1] as Float32Array);
    const vb = sampleBatch(pool, policy, c, adapted, tasks, c.episodesPerTask, fold(key, c.innerSteps));
    return new MetaBatch(policy, c, inner, paths, vb);
  }

  /** θ_K per task. */
  adapted(): Float32Array[] {
    return this.paths.map((p) => p[p.length - 1] as Float32Array);
  }

  /** Mean return before adaptation (the first inner batch; the validation batch when K = 0). */
  preReturn(): number {
    return meanReturn((this.inner[0] ?? this.valid).batch);
  }

  postReturn(): number {
    return meanReturn(this.valid.batch);
  }

  envSteps(): number {
    return this.inner.reduce((s, o) => s + o.batch.envSteps, this.valid.batch.envSteps);
  }

  /** Adaptation paths from new initial parameters on the same inner batches. */
  pathsFrom(theta: Float32Array): Float32Array[][] {
    const paths = Array.from({ length: this.T }, () => [theta]);
    for (const obj of this.inner) {
      const next = innerStep(
        this.policy,
        obj,
        paths.map((p) => p[p.length - 1] as Float32Array),
        this.c.innerLr,
      );
      for (let t = 0; t < this.T; t++) (paths[t] as Float32Array[]).push(next[t] as Float32Array);
    }
    return paths;
  }

  /**
   * The task-mean outer surrogate (clipped when clip > 0) at the given paths, and its
   * meta-gradient w.r.t. θ_0 into `grad` when given.
   */
  objective(
    paths: Float32Array[][],
    clip: number,
    grad?: Float32Array,
  ): { value: number; kl: number; clipFraction: number } {
    const n = this.policy.size;
    const T = this.T;
    // Per-task surrogate gradients at θ_K, rows of G; carried back through the adaptation below.
    const G = grad ? new Float32Array(T * n) : undefined;
    let value = 0;
    let kl = 0;
    let clipFraction = 0;
    for (let t = 0; t < T; t++) {
      const path = paths[t] as Float32Array[];
      const th = path[path.length - 1] as Float32Array;
      const s = this.valid.surrogate(th, t, clip, G?.subarray(t * n, (t + 1) * n));
      value += s.value;
      clipFraction += s.clipFraction;
      kl += this.valid.kl(th, t, this.oldMu[t] as Float32Array, this.oldS[t] as Float32Array);
    }
    if (grad && G) {
      if (this.c.firstOrder) {
        // FOMAML: J = I.
      } else if (this.batched) {
        const policy = this.batched.fisher.policy;
        const inner =
          paths === this.paths
            ? this.batched.inner
            : this.inner.map((o, k) => BatchProducts.inner(policy, o.batch, packStep(paths, k, n), `trial${k}`));
        throughAdaptation(inner, this.c.innerLr, G, 'back');
      } else
        for (let t = 0; t < T; t++)
          backThroughAdaptation(
            paths[t] as Float32Array[],
            t,
            this.inner,
            this.c.innerLr,
            false,
            G.subarray(t * n, (t + 1) * n),
          );
      meanRows(G, T, n, grad);
    }
    return { value: value / T, kl: kl / T, clipFraction: clipFraction / T };
  }

  /** The Hessian of the task-mean KL through the adaptation at θ_old, times v, into `out`. */
  fvp(v: Float32Array, out: Float32Array): void {
    const n = this.policy.size;
    const T = this.T;
    const F = new Float32Array(T * n);
    if (this.batched) {
      const { inner, fisher } = this.batched;
      const U = new Float32Array(T * n);
      for (let t = 0; t < T; t++) U.set(v, t * n);
      if (!this.c.firstOrder) throughAdaptation(inner, this.c.innerLr, U, 'forward');
      F.set(fisher.apply(U));
      if (!this.c.firstOrder) throughAdaptation(inner, this.c.innerLr, F, 'back');
    } else {
      const u = new Float32Array(n);
      for (let t = 0; t < T; t++) {
        const path = this.paths[t] as Float32Array[];
        const f = F.subarray(t * n, (t + 1) * n);
        u.set(v);
        forwardThroughAdaptation(path, t, this.inner, this.c.innerLr, this.c.firstOrder, u);
        this.valid.fvp(path[path.length - 1] as Float32Array, t, u, f);
        backThroughAdaptation(path, t, this.inner, this.c.innerLr, this.c.firstOrder, f);
      }
    }
    meanRows(F, T, n, out);
  }
}

/** out = the mean of the T rows of M [T × n], summed in float64 in task order. */
function meanRows(M: Float32Array, T: number, n: number, out: Float32Array): void {
  const acc = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) acc[i] = (acc[i] as number) + (M[t * n + i] as number);
  for (let i = 0; i < n; i++) out[i] = (acc[i] as number) / T;
}
