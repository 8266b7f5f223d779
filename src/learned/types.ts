// The shapes of the learned module: a learned optimizer is a family of optim optimizers indexed by
// meta-parameters θ; a task is one inner training problem; a family samples tasks from a key.
import type { Optimizer } from '../optim/types.js';
import type { Key } from '../random/index.js';

/** One inner problem: a starting point and a (possibly noisy) gradient oracle. */
export interface Task {
  /** Number of parameters. */
  readonly dim: number;
  /** A fresh copy of the starting parameters x₀. */
  init(): Float32Array;
  /** The loss (exact) and gradient (possibly noisy) at `params`; `params` is left as it is. */
  lossAndGrad(params: Float32Array): { value: number; grad: Float32Array };
  /**
   * The same problem with its gradient noise drawn from the stream of `key` (call count restarts
   * at 0), so two unrolls can share or separate their noise on purpose.
   */
  fork(key: Key): Task;
}

/** A distribution over tasks. */
export interface TaskFamily {
  readonly name: string;
  /** n independent tasks drawn from `key` (the same key gives the same tasks). */
  sample(key: Key, n: number): Task[];
}

/** A parametric update rule: meta-parameters θ → an optim optimizer. */
export interface LearnedOptimizer {
  readonly name: string;
  /** Length of θ. */
  readonly size: number;
  /** Initial meta-parameters, deterministic in `seed`. */
  init(seed: number): Float32Array;
  /** The optim optimizer for meta-parameters θ (θ is copied, later changes to it have no effect). */
  optimizer(theta: Float32Array): Optimizer;
}
