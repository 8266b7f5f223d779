// Shapes shared by the meta-learners.
import type { ActivationName, ParamLayout } from '../nn/types.js';
import type { Optimizer } from '../optim/types.js';
import type { TaskDistribution } from './tasks/types.js';

/**
 * The model a meta-learner adapts: an `nn.mlp(...)` model, or any object with its architecture
 * fields. The batched kernels run MLPs only.
 */
export interface MetaModel {
  readonly sizes: readonly number[];
  readonly activation: ActivationName;
  readonly outputActivation?: ActivationName;
  readonly layout?: ParamLayout;
  readonly size?: number;
  /** Fresh parameters for a seed (used by train when no `init` is given). */
  init?(seed: number): Float32Array;
}

/** 'mse' (mean squared error) or 'crossEntropy' (softmax, integer labels); a `{ name }` loss object of those names is accepted too. */
export type MetaLossName = 'mse' | 'crossEntropy';
/** A meta-learner's loss: 'mse' or 'crossEntropy', or a loss object (such as `nn.loss.mse`) of one of those names. */
export type MetaLoss = MetaLossName | { readonly name: string };

/** Options common to every learner. */
export interface LearnerOptions {
  model: MetaModel;
  /** Task loss (default 'mse'). */
  loss?: MetaLoss;
  /** Inner SGD step size α (default 0.01). */
  innerLr?: number;
  /** Inner steps during meta-training (default 1; Reptile 5; iMAML 10). */
  innerSteps?: number;
  /** Outer optimizer from `optim` (default optim.adam({ lr: 1e-3 })). */
  optimizer?: Optimizer;
}

/** What onProgress receives after each meta-iteration. */
export interface TrainProgress {
  /** Meta-iterations done so far (1 after the first). */
  iteration: number;
  iterations: number;
  /** Mean query loss of this meta-batch before adaptation. */
  lossPre: number;
  /** Mean query loss after the inner steps. */
  lossPost: number;
  /** Milliseconds since train() started. */
  elapsedMs: number;
}

/** Options of a learner's `train`: the task distribution, iterations, meta-batch and shots. */
export interface TrainOptions {
  tasks: TaskDistribution;
  iterations: number;
  /** Tasks per meta-iteration (default 25). */
  metaBatch?: number;
  /** Support examples per task (per class for classification; default 10). */
  shots?: number;
  /** Query examples per task (per class for classification; default = shots). */
  queries?: number;
  /** Seeds the tasks and, without `init`, the model's initialization (default 0). */
  seed?: number;
  /** Initial meta-parameters (default model.init(seed)); not modified. */
  init?: Float32Array;
  /** Called after each meta-iteration with the losses before and after adaptation. */
  onProgress?: (p: TrainProgress) => void;
  /** Stops training early (the parameters so far are returned). */
  signal?: AbortSignal;
}

/** A support set: inputs [rows × in] and targets [rows × out] (mse) or labels [rows] (crossEntropy). */
export interface SupportSet {
  x: Float32Array;
  y: Float32Array | Int32Array;
}

/** Options of a learner's `adapt`: inner steps from the meta-parameters on one task's support set. */
export interface AdaptOptions {
  /** Inner steps (default 10). */
  steps?: number;
  /** Step size: a number or one per parameter (default the learner's inner rate(s)). */
  lr?: number | Float32Array;
  /** Proximal weight λ: steps on L + λ/2·|φ − θ|² (default 0; iMAML: its λ). */
  lambda?: number;
}

/** Options of a learner's `evaluate`: held-out tasks, shots and adaptation steps. */
export interface EvaluateOptions {
  tasks: TaskDistribution;
  /** Held-out tasks (default 600). */
  count?: number;
  shots?: number;
  /** Query examples per task (default 100 for regression, else shots). */
  queries?: number;
  /** Adaptation steps; losses are reported after 0..steps (default 10). */
  steps?: number;
  seed?: number;
  lr?: number | Float32Array;
  lambda?: number;
}

/** What a learner's `evaluate` returns: mean query loss (and its 95% interval) after 0..steps adaptation steps. */
export interface EvaluateResult {
  /** Mean query loss over tasks after 0..steps adaptation steps. */
  mean: Float64Array;
  /** Half-width of the 95% confidence interval of each mean (1.96·sd/√n). */
  ci95: Float64Array;
  /**
   * Median query loss over tasks after 0..steps steps: robust where a few tasks diverge (plain
   * SGD at a fixed rate is unstable on tasks whose loss curvature exceeds 2/lr), which makes the
   * mean Infinity or NaN.
   */
  median: Float64Array;
  /** Each task's query loss after 0..steps steps, [count × (steps + 1)], task-major. */
  losses: Float32Array;
  count: number;
}

/** A gradient-based meta-learner: learns an initialization (and, for Meta-SGD, inner rates). */
export interface MetaLearner {
  readonly name: string;
  readonly model: MetaModel;
  /** Meta-trains and resolves with the meta-parameters. */
  train(options: TrainOptions): Promise<Float32Array>;
  /** Adapts meta-parameters to one support set; returns new parameters. */
  adapt(params: Float32Array, support: SupportSet, options?: AdaptOptions): Float32Array;
  /** Adapts to held-out tasks and reports the mean query loss after 0..steps steps. */
  evaluate(params: Float32Array, options: EvaluateOptions): EvaluateResult;
  /** The inner step sizes adapt uses by default: one number, or one per parameter (Meta-SGD, ANIL). */
  innerLrs(): Float32Array;
}
