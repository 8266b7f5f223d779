// learned.train: meta-trains a learned optimizer's θ with an ES-family estimator and an outer optim
// optimizer (default Adam). One iteration = one estimate over `population` particles
// (population/2 antithetic pairs) and one outer step.
import { adam } from '../optim/index.js';
import type { Optimizer, OptState } from '../optim/types.js';
import { fold, key as keyOf } from '../random/index.js';
import { checkFloat32, checkInteger, checkKnownKeys, checkRange } from '../util/check.js';
import {
  cloneOptState,
  createEstimator,
  type EstimatorName,
  type EstimatorState,
  type MetaObjective,
} from './estimators.js';
import type { LearnedOptimizer, Task, TaskFamily } from './types.js';

/** Options of `learned.train`: the learned optimizer, the task family, the ES/PES estimator and the outer loop. */
export interface TrainOptions {
  optimizer: LearnedOptimizer;
  /** A family (a fresh task per pair and episode) or a fixed list of tasks (cycled). */
  tasks: TaskFamily | readonly Task[];
  /** Default 'pes'. */
  estimator?: EstimatorName;
  /** Outer iterations. */
  iterations: number;
  /** Inner steps T of one training run. */
  horizon: number;
  /** Steps K per truncated segment (truncatedEs, pes); must divide horizon. Default min(horizon, 10). */
  truncation?: number;
  /** Particles per estimate (even: population/2 antithetic pairs). Default 16. */
  population?: number;
  /**
   * Meta-loss of an unroll: 'mean' log inner loss over its steps (default; learned_optimization's
   * choice) or 'final' log loss after the T-th step (what VeLO's metric reads).
   */
  objective?: MetaObjective;
  /** Perturbation std σ (default 0.01, the reference's). */
  sigma?: number;
  /** Outer optimizer on θ (default optim.adam({ lr: 1e-3 })). */
  outerOptimizer?: Optimizer;
  /** Starting θ (default optimizer.init(seed)). */
  theta?: Float32Array;
  seed: number;
  /**
   * Truncated estimators: start pair p's first unroll at segment p mod (T/K), as learned_optimization's
   * random initial iteration offset does, so every estimate mixes all phases of training (default true).
   */
  stagger?: boolean;
  /**
   * Advance the whole population in one kernel call per truncation (native: threaded over members)
   * when the optimizer is a plain learned.mlpOptimizer and the tasks are learned.tasks.quadratic
   * (default true; the result is bit-identical to the per-member path on one backend).
   */
  batched?: boolean;
  /** Called after each outer iteration with its history entry. */
  onProgress?: (entry: TrainHistoryEntry) => void;
  /** Call `onCheckpoint` every this many iterations (and after the last); default: never. */
  checkpointEvery?: number;
  /** Receives a self-contained snapshot; the run waits for a returned promise (e.g. a file write). */
  onCheckpoint?: (checkpoint: TrainCheckpoint) => void | Promise<void>;
  /**
   * Continue from a checkpoint of a run with the same options: the result equals, bit for bit, that
   * of the uninterrupted run (θ, the outer optimizer's state and every persistent unroll are restored).
   */
  resume?: TrainCheckpoint;
}

/** A snapshot of `learned.train` after `iteration` completed outer iterations. */
export interface TrainCheckpoint {
  /** Completed outer iterations. */
  iteration: number;
  theta: Float32Array;
  /** The outer optimizer's state. */
  outer: OptState;
  /** The estimator's persistent unrolls and perturbation accumulators. */
  estimator: EstimatorState;
  history: TrainHistoryEntry[];
}

/** One outer iteration of `learned.train`: the meta-loss estimate and gradient norm. */
export interface TrainHistoryEntry {
  iteration: number;
  /** Mean over particles of the segment meta-loss (mean log inner loss). */
  metaLoss: number;
  /** ‖ĝ‖₂ of the estimate. */
  gradNorm: number;
}

/** What `learned.train` returns: the meta-trained optimizer parameters θ and the history. */
export interface TrainResult {
  theta: Float32Array;
  history: TrainHistoryEntry[];
}

const ESTIMATORS: readonly EstimatorName[] = ['es', 'pes', 'truncatedEs'];
const KNOWN = [
  'optimizer',
  'tasks',
  'estimator',
  'iterations',
  'horizon',
  'truncation',
  'population',
  'sigma',
  'objective',
  'outerOptimizer',
  'theta',
  'seed',
  'stagger',
  'batched',
  'onProgress',
  'checkpointEvery',
  'onCheckpoint',
  'resume',
] as const;

/** Meta-trains `options.optimizer`; deterministic in `seed`. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const fn = 'learned.train';
  checkKnownKeys(options, KNOWN, fn);
  const lo = options.optimizer;
  if (typeof lo !== 'object' || lo === null || typeof lo.optimizer !== 'function' || typeof lo.init !== 'function')
    throw new TypeError(`${fn}: optimizer: expected a learned optimizer (e.g. learned.mlpOptimizer())`);
  const estimator = options.estimator ?? 'pes';
  if (!ESTIMATORS.includes(estimator))
    throw new RangeError(`${fn}: estimator: expected one of ${ESTIMATORS.join(', ')}, got ${String(estimator)}`);
  checkInteger(options.iterations, `${fn}: iterations`, 0);
  checkInteger(options.horizon, `${fn}: horizon`, 1);
  const truncation = options.truncation ?? Math.min(options.horizon, 10);
  checkInteger(truncation, `${fn}: truncation`, 1, options.horizon);
  if (estimator !== 'es' && options.horizon % truncation !== 0)
    throw new RangeError(`${fn}: truncation: must divide horizon (${options.horizon}), got ${truncation}`);
  const population = options.population ?? 16;
  checkInteger(population, `${fn}: population`, 2);
  if (population % 2 !== 0)
    throw new RangeError(`${fn}: population: expected an even number (antithetic pairs), got ${population}`);
  const sigma = options.sigma ?? 0.01;
  checkRange(sigma, `${fn}: sigma`, Number.MIN_VALUE, 1e3);
  checkInteger(options.seed, `${fn}: seed`);
  const objective = options.objective ?? 'mean';
  if (objective !== 'mean' && objective !== 'final')
    throw new RangeError(`${fn}: objective: expected 'mean' or 'final', got ${String(objective)}`);
  const { tasks } = options;
  let nextTask: (pair: number, episode: number) => Task;
  const root = keyOf(options.seed);
  const taskKey = fold(root, 1);
  const pairs = population / 2;
  if (Array.isArray(tasks)) {
    const list = tasks as readonly Task[];
    if (list.length === 0) throw new RangeError(`${fn}: tasks: expected at least one task`);
    nextTask = (pair, episode) =>
      (list[(pair + episode * pairs) % list.length] as Task).fork(fold(fold(taskKey, episode), pair));
  } else if (typeof tasks === 'object' && tasks !== null && typeof (tasks as TaskFamily).sample === 'function') {
    const family = tasks as TaskFamily;
    nextTask = (pair, episode) => family.sample(fold(fold(taskKey, episode), pair), 1)[0] as Task;
  } else throw new TypeError(`${fn}: tasks: expected a task family (learned.tasks.*) or an array of tasks`);
  let theta: Float32Array;
  if (options.theta !== undefined) {
    checkFloat32(options.theta, `${fn}: theta`, lo.size);
    theta = Float32Array.from(options.theta);
  } else theta = lo.init(options.seed);
  const outer = options.outerOptimizer ?? adam({ lr: 1e-3 });
  let outerState = outer.init(theta);
  const every = options.checkpointEvery ?? 0;
  checkInteger(every, `${fn}: checkpointEvery`, 0);
  const stagger = options.stagger ?? true;
  if (typeof stagger !== 'boolean') throw new TypeError(`${fn}: stagger: expected a boolean`);
  const batched = options.batched ?? true;
  if (typeof batched !== 'boolean') throw new TypeError(`${fn}: batched: expected a boolean`);
  const est = createEstimator(estimator, {
    lo,
    nextTask,
    horizon: options.horizon,
    truncation,
    pairs,
    sigma,
    key: fold(root, 2),
    objective,
    stagger,
    batched,
  });
  let history: TrainHistoryEntry[] = [];
  let start = 0;
  const { resume } = options;
  if (resume !== undefined) {
    if (typeof resume !== 'object' || resume === null) throw new TypeError(`${fn}: resume: expected a checkpoint`);
    checkFloat32(resume.theta, `${fn}: resume.theta`, lo.size);
    checkInteger(resume.iteration, `${fn}: resume.iteration`, 0, options.iterations);
    theta = Float32Array.from(resume.theta);
    outerState = cloneOptState(resume.outer);
    est.load(resume.estimator);
    history = resume.history.slice(0, resume.iteration);
    start = resume.iteration;
  }
  const snapshot = (iteration: number): TrainCheckpoint => ({
    iteration,
    theta: theta.slice(),
    outer: cloneOptState(outerState),
    estimator: est.save(),
    history: history.slice(),
  });
  const g32 = new Float32Array(lo.size);
  for (let it = start; it < options.iterations; it++) {
    const { grad, loss } = est.estimate(theta);
    let sq = 0;
    for (let i = 0; i < grad.length; i++) {
      g32[i] = grad[i] as number;
      sq += (grad[i] as number) ** 2;
    }
    outer.step(theta, g32, outerState, { loss });
    const entry = { iteration: it, metaLoss: loss, gradNorm: Math.sqrt(sq) };
    history.push(entry);
    options.onProgress?.(entry);
    if (options.onCheckpoint !== undefined && every > 0 && ((it + 1) % every === 0 || it + 1 === options.iterations))
      await options.onCheckpoint(snapshot(it + 1));
    // yield to the event loop between iterations so long runs stay cancellable/observable
    if (it % 16 === 15) await new Promise((r) => setImmediate(r));
  }
  return { theta, history };
}
