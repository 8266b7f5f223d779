// The batched population path of the ES/PES estimators: when the learned optimizer is a plain
// learned.mlpOptimizer (no layout) and every task is a learned.tasks.quadratic task, a whole
// truncation of the whole population (every antithetic member) runs in one kernel call
// (learnedQuadraticPopulation: native threads over members) instead of K × population calls from
// JS. Each member sees exactly what the per-member path gives it (same θ, x, accumulators, count
// and noise draws; the kernel repeats the task's float64 loss and gradient operation for
// operation), so the two paths agree bit for bit on one backend.
import { getBackend } from '../backend/index.js';
import type { Key } from '../random/index.js';
import type { UnrollState } from './estimators.js';
import { ACC_ROWS, NUM_INPUTS } from './features.js';
import type { MlpOptimizer } from './mlp_optimizer.js';
import { isQuadraticTask, type QuadraticTask, quadraticNoise } from './tasks/quadratic.js';
import type { LearnedOptimizer, Task } from './types.js';

// Kernel buffers kept between calls (every estimate has the same shapes): fresh multi-megabyte
// typed arrays per truncation cost more in allocation and GC than the copies into them.
const scratch = (() => {
  const cache = new Map<string, Float32Array | Float64Array | Uint32Array>();
  const get = <A extends Float32Array | Float64Array | Uint32Array>(
    name: string,
    n: number,
    make: (n: number) => A,
  ): A => {
    let a = cache.get(name) as A | undefined;
    if (a === undefined || a.length !== n) {
      a = make(n);
      cache.set(name, a);
    }
    return a;
  };
  return {
    f32: (name: string, n: number) => get(name, n, (k) => new Float32Array(k)),
    f64: (name: string, n: number) => get(name, n, (k) => new Float64Array(k)),
    u32: (name: string, n: number) => get(name, n, (k) => new Uint32Array(k)),
  };
})();

/** One population member: its persistent inner training and its (perturbed) θ. */
export interface PopulationMember {
  state: UnrollState;
  theta: Float32Array;
}

/** Members that share one task and one gradient-noise stream (an antithetic pair). */
export interface PopulationGroup {
  task: QuadraticTask;
  /** The key the members' task was forked with: call k draws quadraticNoise(noiseKey, k, dim). */
  noiseKey: Key;
  members: PopulationMember[];
}

/** The optimizer as the population kernel needs it, or null when the batched path does not apply. */
export function populationOptimizer(lo: LearnedOptimizer): MlpOptimizer | null {
  const m = lo as Partial<MlpOptimizer>;
  if (
    m.inputs !== NUM_INPUTS ||
    !Array.isArray(m.hidden) ||
    typeof m.stepMult !== 'number' ||
    typeof m.expMult !== 'number' ||
    m.mup !== false ||
    m.layout !== undefined
  )
    return null;
  return lo as MlpOptimizer;
}

/** Whether every task is a learned.tasks.quadratic task of one dimension. */
export function quadraticTasks(tasks: readonly Task[]): tasks is readonly QuadraticTask[] {
  if (tasks.length === 0) return false;
  const d = (tasks[0] as Task).dim;
  return tasks.every((t) => isQuadraticTask(t) && t.dim === d);
}

/**
 * Advances every member `steps` inner steps in one kernel call (in place: params, accumulators,
 * count, t) and returns the per-member losses [steps + 1] (before each step, then after the last),
 * exactly those task.lossAndGrad reports on the per-member path.
 */
export function runQuadraticPopulation(
  lo: MlpOptimizer,
  groups: readonly PopulationGroup[],
  steps: number,
): Float64Array[] {
  const members = groups.flatMap((g) => g.members);
  const M = members.length;
  const T = groups.length;
  const d = (groups[0] as PopulationGroup).task.dim;
  const noise = (groups[0] as PopulationGroup).task.noise;
  for (const g of groups)
    if (g.task.dim !== d || g.task.noise !== noise)
      throw new RangeError('learned population: groups: expected tasks of one dimension and noise level');
  const size = lo.size;
  const params = scratch.f32('params', M * d);
  const acc = scratch.f32('acc', M * ACC_ROWS * d);
  const counts = scratch.f64('counts', M);
  const thetas = scratch.f32('thetas', M * size);
  const q = scratch.f64('q', T * d * d);
  const centers = scratch.f64('centers', T * d);
  const taskOf = scratch.u32('taskOf', M);
  const z = scratch.f32('z', noise > 0 ? T * steps * d : 0);
  const losses = scratch.f64('losses', M * (steps + 1));
  let m = 0;
  groups.forEach((g, t) => {
    q.set(g.task.q, t * d * d);
    centers.set(g.task.center, t * d);
    if (noise > 0) for (let k = 0; k < steps; k++) z.set(quadraticNoise(g.noiseKey, k, d), (t * steps + k) * d);
    for (const mem of g.members) {
      params.set(mem.state.params, m * d);
      acc.set(mem.state.opt.buffers.acc as Float32Array, m * ACC_ROWS * d);
      counts[m] = mem.state.opt.count;
      thetas.set(mem.theta, m * size);
      taskOf[m] = t;
      m++;
    }
  });
  getBackend().learnedQuadraticPopulation(
    params,
    acc,
    counts,
    thetas,
    Int32Array.from([NUM_INPUTS, ...lo.hidden, 2]),
    q,
    centers,
    taskOf,
    z,
    losses,
    { dim: d, steps, noise, stepMult: lo.stepMult, expMult: lo.expMult },
  );
  return members.map((mem, i) => {
    mem.state.params.set(params.subarray(i * d, (i + 1) * d));
    (mem.state.opt.buffers.acc as Float32Array).set(acc.subarray(i * ACC_ROWS * d, (i + 1) * ACC_ROWS * d));
    mem.state.opt.count = counts[i] as number;
    mem.state.t += steps;
    return losses.slice(i * (steps + 1), (i + 1) * (steps + 1));
  });
}
