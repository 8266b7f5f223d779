// Adaptation from an initialization on held-out tasks, as pytorch-maml-rl's test script and Finn
// et al.'s Fig. 5 do it: at step k the episodes are sampled with θ_k (their mean return is the
// return after k steps) and are the batch of the VPG step to θ_{k+1}. All tasks step together in
// one vector env; every initialization sees the same tasks and the same sampling keys. The inner
// update is the VPG step unless an InnerLoop is given (metaRl.reptile's PPO inner loop).
import { fold, type Key } from '../../random/index.js';
import type { ResolvedMaml } from './config.js';
import type { TaskBatch } from './episodes.js';
import { type EnvPool, innerStep, sampleBatch } from './meta_batch.js';
import { taskObjectives } from './objectives.js';
import type { Policy } from './policy.js';

/** Per adaptation step: the mean over tasks of the mean episode return, with a 95% interval. */
export interface StepReturn {
  steps: number;
  mean: number;
  /** 1.96 · sd / √tasks (normal approximation over tasks). */
  ci95: number;
}

/**
 * One inner update of every task's parameters on its batch (sampled with them); `key` for any
 * shuffling. Returns the updated parameters and the fraction of rows whose ratio was clipped (0 for
 * the VPG step, which does not clip).
 */
export type InnerUpdate = (
  batch: TaskBatch,
  thetas: readonly Float32Array[],
  key: Key,
) => { thetas: Float32Array[]; clipFraction: number };

/** A fresh inner update for one adaptation of `tasks` tasks (it may keep state across the adaptation's steps). */
export type InnerLoop = (policy: Policy, tasks: number) => InnerUpdate;

/** Returns per task [maxSteps + 1][T], the adapted parameters per task after maxSteps steps, env steps taken. */
export function adaptAll(
  pool: EnvPool,
  policy: Policy,
  c: ResolvedMaml,
  theta: Float32Array,
  tasks: Float32Array,
  maxSteps: number,
  episodes: number,
  lr: number,
  key: Key,
  loop?: InnerLoop,
): { returns: Float64Array[]; adapted: Float32Array[]; envSteps: number; clipFraction: number } {
  const T = tasks.length / pool.any().taskDim;
  let thetas = Array.from({ length: T }, () => theta);
  const returns: Float64Array[] = [];
  let envSteps = 0;
  let clipped = 0;
  const update: InnerUpdate =
    loop?.(policy, T) ??
    ((batch, th) => ({ thetas: innerStep(policy, taskObjectives(policy, batch), th, lr), clipFraction: 0 }));
  for (let k = 0; k <= maxSteps; k++) {
    const batch = sampleBatch(pool, policy, c, thetas, tasks, episodes, fold(key, k));
    envSteps += batch.envSteps;
    returns.push(batch.taskReturn.slice());
    if (k === maxSteps) break;
    const u = update(batch, thetas, fold(fold(key, k), 2));
    thetas = u.thetas;
    clipped += u.clipFraction;
  }
  return { returns, adapted: thetas, envSteps, clipFraction: maxSteps > 0 ? clipped / maxSteps : 0 };
}

/** Mean and 95% half-width over tasks. */
export function summarize(steps: number, perTask: Float64Array): StepReturn {
  const n = perTask.length;
  const mean = perTask.reduce((s, x) => s + x, 0) / n;
  let ss = 0;
  for (const x of perTask) ss += (x - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { steps, mean, ci95: (1.96 * sd) / Math.sqrt(n) };
}
