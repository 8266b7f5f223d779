// Meta-gradient estimators over inner unrolls (learned_optimization outer_trainers, Vicol et al. 2021):
//   es           antithetic ES over full T-step unrolls from x₀;
//   truncatedEs  K-step segments from one persistent state per pair, continued from the + branch
//                (biased: a segment ignores θ's effect on the state it inherits);
//   pes          each branch keeps its own persistent state and each pair accumulates ξ = Σ ε since
//                the last reset; ĝ = mean (L⁺ − L⁻)/(2σ²)·ξ is unbiased for the ES-smoothed meta-loss.
// The meta-loss of a segment is, with objective 'mean', the mean over its steps of log(inner loss), the
// loss read before each step (the learned_optimization/PES choice: the full-unroll meta-loss is the sum
// of the segments'); with 'final', log(inner loss) after the T-th step for the segment that ends the
// unroll and 0 for the others (the quantity VeLO's metric reads).

import { getBackend } from '../backend/index.js';
import type { Optimizer, OptState } from '../optim/types.js';
import { fold, type Key } from '../random/index.js';
import { type PopulationGroup, populationOptimizer, quadraticTasks, runQuadraticPopulation } from './population.js';
import type { QuadraticTask } from './tasks/quadratic.js';
import type { LearnedOptimizer, Task } from './types.js';

/** Estimator names accepted by learned.train. */
export type EstimatorName = 'es' | 'pes' | 'truncatedEs';

/** Meta-objectives: mean log loss over the unroll, or log loss at the horizon. */
export type MetaObjective = 'mean' | 'final';

/** Cap on a step's log loss, so a diverging unroll gives a large finite meta-loss. */
export const LOG_LOSS_CAP = 30;

/** One inner training in progress. */
export interface UnrollState {
  task: Task;
  params: Float32Array;
  opt: OptState;
  /** Inner steps taken since x₀. */
  t: number;
}

/** A deep copy of an optim state. */
export function cloneOptState(s: OptState): OptState {
  const buffers: OptState['buffers'] = {};
  for (const [k, v] of Object.entries(s.buffers)) buffers[k] = v.slice();
  return { count: s.count, buffers, scalars: { ...s.scalars }, inner: s.inner.map(cloneOptState) };
}

/** A deep copy of an unroll state (the task is shared: its noise stream is reseeded by the caller). */
export function cloneUnroll(s: UnrollState): UnrollState {
  return { task: s.task, params: s.params.slice(), opt: cloneOptState(s.opt), t: s.t };
}

/** A fresh unroll of `opt` on `task` from x₀. */
export function startUnroll(opt: Optimizer, task: Task): UnrollState {
  const params = task.init();
  return { task, params, opt: opt.init(params), t: 0 };
}

/** log(loss) clamped to LOG_LOSS_CAP (non-finite → cap). */
export function logLoss(value: number): number {
  const l = Math.log(value + 1e-30);
  return Number.isFinite(l) ? Math.min(l, LOG_LOSS_CAP) : LOG_LOSS_CAP;
}

/**
 * Runs `steps` inner steps in place; returns the segment's meta-loss: the mean log loss over them
 * ('mean'), or ('final') the log loss after them if they end the unroll at `horizon`, else 0.
 */
export function unroll(
  opt: Optimizer,
  s: UnrollState,
  steps: number,
  objective: MetaObjective = 'mean',
  horizon = Number.POSITIVE_INFINITY,
): number {
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    const { value, grad } = s.task.lossAndGrad(s.params);
    sum += logLoss(value);
    opt.step(s.params, grad, s.opt, { loss: value });
    s.t++;
  }
  if (objective === 'mean') return sum / steps;
  return s.t >= horizon ? logLoss(s.task.lossAndGrad(s.params).value) : 0;
}

/** What an estimator needs; `nextTask(pair, episode)` gives the task of a pair's episode. */
export interface EstimatorConfig {
  lo: LearnedOptimizer;
  nextTask: (pair: number, episode: number) => Task;
  horizon: number;
  truncation: number;
  pairs: number;
  sigma: number;
  key: Key;
  /** Default 'mean'. */
  objective?: MetaObjective;
  /** Start pair p's first truncated unroll at segment p mod (T/K) (default true). */
  stagger?: boolean;
  /**
   * Advance the whole population in one kernel call per truncation when the optimizer and tasks
   * support it (population.ts; default true). The result is the same bit for bit on one backend.
   */
  batched?: boolean;
}

/** One unroll's saved state (its task is rebuilt from the pair's episode). */
export interface SavedUnroll {
  params: Float32Array;
  opt: OptState;
  t: number;
}

/** One antithetic pair's saved state. */
export interface SavedPair {
  episode: number;
  xi: Float64Array;
  pos: SavedUnroll | null;
  neg: SavedUnroll | null;
}

/** Everything an estimator carries between calls (for checkpoints and exact resume). */
export interface EstimatorState {
  iteration: number;
  pairs: SavedPair[];
}

/** One meta-gradient estimate per call, at θ; internal persistent states advance. */
export interface Estimator {
  estimate(theta: Float32Array): { grad: Float64Array; loss: number };
  /** A deep copy of the persistent state. */
  save(): EstimatorState;
  /** Continues from a saved state (of an estimator with the same config). */
  load(state: EstimatorState): void;
}

/** One pair's work in an estimate. */
interface PairJob {
  optPos: () => Optimizer;
  optNeg: () => Optimizer;
  thetaPos: Float32Array;
  thetaNeg: Float32Array;
  pos: UnrollState;
  neg: UnrollState;
  noiseKey: Key;
  weight: ArrayLike<number>;
  steps: number;
  lPos: number;
  lNeg: number;
}

/**
 * The meta-loss of a segment from its losses [steps + 1] (before each step, then after the last) as
 * `unroll` computes it; `t` is the step count after the segment.
 */
export function segmentLoss(losses: Float64Array, t: number, objective: MetaObjective, horizon: number): number {
  const steps = losses.length - 1;
  if (objective === 'final') return t >= horizon ? logLoss(losses[steps] as number) : 0;
  let sum = 0;
  for (let k = 0; k < steps; k++) sum += logLoss(losses[k] as number);
  return sum / steps;
}

interface PairState {
  episode: number;
  pos: UnrollState | null;
  neg: UnrollState | null;
  xi: Float64Array;
}

function perturbed(theta: Float32Array, eps: Float32Array, sign: number, out: Float32Array): Float32Array {
  for (let i = 0; i < theta.length; i++) out[i] = (theta[i] as number) + sign * (eps[i] as number);
  return out;
}

/** The estimator `kind` over `config`; deterministic in config.key. */
export function createEstimator(kind: EstimatorName, config: EstimatorConfig): Estimator {
  const { lo, nextTask, horizon, truncation, pairs, sigma, key } = config;
  const objective = config.objective ?? 'mean';
  const stagger = config.stagger ?? true;
  const batched = config.batched ?? true;
  const run = (opt: Optimizer, s: UnrollState, steps: number) => unroll(opt, s, steps, objective, horizon);
  const pairStates: PairState[] = Array.from({ length: pairs }, () => ({
    episode: -1,
    pos: null,
    neg: null,
    xi: new Float64Array(lo.size),
  }));
  const pairBuffers = Array.from({ length: pairs }, () => [0, 1, 2].map(() => new Float32Array(lo.size)));
  let iteration = 0;
  return {
    estimate(theta: Float32Array) {
      const grad = new Float64Array(lo.size);
      let lossSum = 0;
      const itKey = fold(key, iteration);
      // 1. per pair: ε, the two members' states and θ ± ε, the task and its noise key
      const jobs: PairJob[] = [];
      for (let p = 0; p < pairs; p++) {
        const pk = fold(itKey, p);
        // ε, θ + ε and θ − ε live in per-pair buffers reused by every estimate (fresh ones per pair
        // and estimate made allocation and GC a large part of an estimate); ε = normal(pk, |θ|)·σ
        const [eps, thetaPos, thetaNeg] = pairBuffers[p] as [Float32Array, Float32Array, Float32Array];
        getBackend().randomNormal(pk, 0, eps);
        for (let i = 0; i < eps.length; i++) eps[i] = (eps[i] as number) * sigma;
        perturbed(theta, eps, 1, thetaPos);
        perturbed(theta, eps, -1, thetaNeg);
        // built on first use: the batched path needs them only to start an unroll
        let optPos: Optimizer | null = null;
        let optNeg: Optimizer | null = null;
        const posOpt = () => {
          optPos ??= lo.optimizer(thetaPos);
          return optPos;
        };
        const negOpt = () => {
          optNeg ??= lo.optimizer(thetaNeg);
          return optNeg;
        };
        const ps = pairStates[p] as PairState;
        const noiseKey = fold(pk, 1);
        let weight: ArrayLike<number> = eps;
        let pos: UnrollState;
        let neg: UnrollState;
        let steps = truncation;
        if (kind === 'es') {
          // both branches share the task's gradient noise (common random numbers)
          const task = nextTask(p, iteration);
          pos = startUnroll(posOpt(), task.fork(noiseKey));
          neg = startUnroll(negOpt(), task.fork(noiseKey));
          steps = horizon;
        } else {
          if (ps.pos === null || ps.pos.t >= horizon) {
            ps.episode++;
            const task = nextTask(p, ps.episode);
            ps.pos = startUnroll(posOpt(), task);
            if (ps.episode === 0 && stagger) {
              // learned_optimization's random initial iteration offset, made deterministic: pair p's
              // first unroll starts at segment p mod (T/K), so the pairs' truncations cover the
              // whole horizon in every estimate instead of all being at the same phase (with
              // 'final', only one estimate in T/K would carry any signal)
              const offset = (p % (horizon / truncation)) * truncation;
              ps.pos.t = offset;
              ps.pos.opt.count = offset;
            }
            ps.neg = kind === 'pes' ? cloneUnroll(ps.pos) : null;
            ps.xi.fill(0);
          }
          pos = ps.pos;
          if (kind === 'pes') {
            neg = ps.neg as UnrollState;
            for (let i = 0; i < ps.xi.length; i++) ps.xi[i] = (ps.xi[i] as number) + (eps[i] as number);
            weight = ps.xi;
          } else neg = cloneUnroll(ps.pos);
          pos.task = pos.task.fork(noiseKey);
          neg.task = pos.task.fork(noiseKey);
        }
        jobs.push({
          optPos: posOpt,
          optNeg: negOpt,
          thetaPos,
          thetaNeg,
          pos,
          neg,
          noiseKey,
          weight,
          steps,
          lPos: 0,
          lNeg: 0,
        });
      }
      // 2. the inner steps: the whole population in one kernel call where it applies
      const steps = (jobs[0] as PairJob).steps;
      const batchedLo = batched ? populationOptimizer(lo) : null;
      if (batchedLo !== null && quadraticTasks(jobs.map((j) => j.pos.task))) {
        const groups: PopulationGroup[] = jobs.map((j) => ({
          task: j.pos.task as QuadraticTask,
          noiseKey: j.noiseKey,
          members: [
            { state: j.pos, theta: j.thetaPos },
            { state: j.neg, theta: j.thetaNeg },
          ],
        }));
        const losses = runQuadraticPopulation(batchedLo, groups, steps);
        jobs.forEach((j, p) => {
          j.lPos = segmentLoss(losses[2 * p] as Float64Array, j.pos.t, objective, horizon);
          j.lNeg = segmentLoss(losses[2 * p + 1] as Float64Array, j.neg.t, objective, horizon);
        });
      } else
        for (const j of jobs) {
          j.lPos = run(j.optPos(), j.pos, steps);
          j.lNeg = run(j.optNeg(), j.neg, steps);
        }
      // 3. ĝ = mean over pairs of (L⁺ − L⁻)/(2σ²) · weight, in pair order
      for (const j of jobs) {
        const c = (j.lPos - j.lNeg) / (2 * sigma * sigma);
        for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) + c * (j.weight[i] as number);
        lossSum += 0.5 * (j.lPos + j.lNeg);
      }
      for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) / pairs;
      iteration++;
      return { grad, loss: lossSum / pairs };
    },
    save(): EstimatorState {
      const su = (u: UnrollState | null): SavedUnroll | null =>
        u === null ? null : { params: u.params.slice(), opt: cloneOptState(u.opt), t: u.t };
      return {
        iteration,
        pairs: pairStates.map((ps) => ({ episode: ps.episode, xi: ps.xi.slice(), pos: su(ps.pos), neg: su(ps.neg) })),
      };
    },
    load(state: EstimatorState): void {
      if (state.pairs.length !== pairs)
        throw new RangeError(`estimator load: state: expected ${pairs} pairs, got ${state.pairs.length}`);
      iteration = state.iteration;
      state.pairs.forEach((sp, p) => {
        if (sp.xi.length !== lo.size)
          throw new RangeError(`estimator load: state.pairs[${p}].xi: expected length ${lo.size}, got ${sp.xi.length}`);
        const ps = pairStates[p] as PairState;
        ps.episode = sp.episode;
        ps.xi = Float64Array.from(sp.xi);
        const task = sp.pos === null ? null : nextTask(p, sp.episode);
        const lu = (u: SavedUnroll | null): UnrollState | null =>
          u === null || task === null ? null : { task, params: u.params.slice(), opt: cloneOptState(u.opt), t: u.t };
        ps.pos = lu(sp.pos);
        ps.neg = lu(sp.neg);
      });
    },
  };
}
