// The batched population path (learnedQuadraticPopulation, native/core/learned/population.cc and its
// js twin; src/learned/population.ts): one kernel call per truncation for the whole ES/PES population
// on learned.tasks.quadratic. Reference: the per-member path (task.lossAndGrad, the float64
// f(x) = ½(x−c)ᵀQ(x−c) of ../shared/design/API.md, then learnedMlpStep per member), which the batched
// path must reproduce bit for bit on one backend — in the kernel, in every estimator (ES, truncated
// ES, PES; 'mean' and 'final'; staggered) and in learned.train. Native vs js within float32
// rounding; thread-count independence; a plausible wrong variant (noise draws off by one call) is
// caught; bad shapes name the argument.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { backend, learned, optim, random } from '../src/index.js';
import { createEstimator, type EstimatorName, type MetaObjective, startUnroll } from '../src/learned/estimators.js';
import { runQuadraticPopulation } from '../src/learned/population.js';
import { quadraticNoise } from '../src/learned/tasks/quadratic.js';
import { backends, jsBackend, nativeBackend, useBackendForSuite } from './helpers/backends.js';

const lo = learned.mlpOptimizer({ hidden: [8, 8], stepMult: 0.05, expMult: 0.5 });
const fam = learned.tasks.quadratic({ dim: 5, noise: 0.1 });

/** A population of M members on tasks of `fam` with their own θ and a few steps already taken. */
function population(M: number, seed: number) {
  const tasks = fam.sample(random.key(seed), Math.ceil(M / 2));
  return Array.from({ length: M }, (_, m) => {
    const theta = lo.init(seed + m);
    const task = tasks[m >> 1]!.fork(random.fold(random.key(seed), m >> 1)) as learned.tasks.QuadraticTask;
    const opt = lo.optimizer(theta);
    const state = startUnroll(opt, task);
    state.opt.count = 3 * m;
    return { theta, task, opt, state, noiseKey: random.fold(random.key(seed), m >> 1) };
  });
}

describe.each(backends)('learnedQuadraticPopulation (%s)', (name) => {
  useBackendForSuite(name);
  it('equals the per-member path (task.lossAndGrad + optimizer step) bit for bit', () => {
    const K = 7;
    const a = population(6, 1);
    const b = population(6, 1);
    const groups = [0, 1, 2].map((t) => ({
      task: a[2 * t]!.task,
      noiseKey: a[2 * t]!.noiseKey,
      members: [a[2 * t]!, a[2 * t + 1]!].map((m) => ({ state: m.state, theta: m.theta })),
    }));
    const losses = runQuadraticPopulation(lo, groups, K);
    for (const [m, ref] of b.entries()) {
      const want = new Float64Array(K + 1);
      for (let k = 0; k < K; k++) {
        const { value, grad } = ref.state.task.lossAndGrad(ref.state.params);
        want[k] = value;
        ref.opt.step(ref.state.params, grad, ref.state.opt);
      }
      want[K] = ref.state.task.lossAndGrad(ref.state.params).value;
      expect(losses[m]).toEqual(want);
      expect(a[m]!.state.params).toEqual(ref.state.params);
      expect(a[m]!.state.opt.buffers.acc).toEqual(ref.state.opt.buffers.acc);
      expect(a[m]!.state.opt.count).toBe(ref.state.opt.count);
      expect(a[m]!.state.t).toBe(K);
    }
  });

  it('a wrong variant (noise draws one call late) is caught', () => {
    const a = population(2, 2);
    const b = population(2, 2);
    const losses = runQuadraticPopulation(
      lo,
      [{ task: a[0]!.task, noiseKey: a[0]!.noiseKey, members: a.map((m) => ({ state: m.state, theta: m.theta })) }],
      4,
    );
    // the per-member path with its noise stream advanced by one call
    const ref = b[0]!;
    ref.state.task.lossAndGrad(ref.state.params);
    for (let k = 0; k < 4; k++) {
      const { grad } = ref.state.task.lossAndGrad(ref.state.params);
      ref.opt.step(ref.state.params, grad, ref.state.opt);
    }
    expect(losses[0]![4]).not.toBe(ref.state.task.lossAndGrad(ref.state.params).value);
    expect(a[0]!.state.params).not.toEqual(ref.state.params);
    expect(quadraticNoise(random.key(99), 0, 5)).not.toEqual(quadraticNoise(a[0]!.noiseKey, 0, 5));
  });

  it('bad shapes give errors that name the argument', () => {
    const b = name === 'js' ? jsBackend : (nativeBackend as Backend);
    const size = lo.size;
    const args = () =>
      [
        new Float32Array(2 * 5),
        new Float32Array(2 * 35),
        new Float64Array(2),
        new Float32Array(2 * size),
        Int32Array.from([39, 8, 8, 2]),
        new Float64Array(25),
        new Float64Array(5),
        new Uint32Array(2),
        new Float32Array(0),
        new Float64Array(2 * 4),
        { dim: 5, steps: 3, noise: 0, stepMult: 0.01, expMult: 0.01 },
      ] as Parameters<Backend['learnedQuadraticPopulation']>;
    expect(() => b.learnedQuadraticPopulation(...args())).not.toThrow();
    const bad = (i: number, v: unknown, re: RegExp) => {
      const a = args() as unknown[];
      a[i] = v;
      expect(() => b.learnedQuadraticPopulation(...(a as Parameters<Backend['learnedQuadraticPopulation']>))).toThrow(
        re,
      );
    };
    bad(7, Uint32Array.from([0, 1]), /taskOf\[1\]/);
    bad(9, new Float64Array(7), /losses: expected length 8/);
    bad(3, new Float32Array(3), /thetas/);
    bad(5, new Float64Array(24), /q: expected length 25/);
    bad(8, new Float32Array(15), /noise: expected length 0/);
    bad(10, { dim: 0, steps: 3, noise: 0, stepMult: 0.01, expMult: 0.01 }, /scalars\.dim/);
    bad(2, Float64Array.of(0, -1), /counts\[1\]/);
    bad(0, new Float64Array(10), /params: expected a Float32Array/);
  });

  const cases: [EstimatorName, MetaObjective][] = [
    ['pes', 'mean'],
    ['pes', 'final'],
    ['truncatedEs', 'mean'],
    ['es', 'mean'],
  ];
  it.each(cases)('estimator %s (%s): batched ≡ per-member, gradients and persistent states', (kind, objective) => {
    const make = (batched: boolean) =>
      createEstimator(kind, {
        lo,
        nextTask: (p, e) => fam.sample(random.fold(random.key(7), e * 31 + p), 1)[0]!,
        horizon: 12,
        truncation: kind === 'es' ? 12 : 4,
        pairs: 3,
        sigma: 0.01,
        key: random.key(5),
        objective,
        batched,
      });
    const x = make(true);
    const y = make(false);
    let theta = lo.init(4);
    for (let i = 0; i < 4; i++) {
      const gx = x.estimate(theta);
      const gy = y.estimate(theta);
      expect(gx.grad).toEqual(gy.grad);
      expect(gx.loss).toBe(gy.loss);
      theta = theta.map((v, j) => v - 0.1 * (gx.grad[j] as number));
    }
    expect(x.save()).toEqual(y.save());
  });

  it('learned.train (PES) gives the same θ with and without the batched path', async () => {
    const opts = {
      optimizer: lo,
      tasks: fam,
      iterations: 5,
      horizon: 8,
      truncation: 4,
      population: 4,
      outerOptimizer: optim.adam({ lr: 1e-2 }),
      seed: 3,
    };
    const a = await learned.train({ ...opts, batched: true });
    const b = await learned.train({ ...opts, outerOptimizer: optim.adam({ lr: 1e-2 }), batched: false });
    expect(a.theta).toEqual(b.theta);
    expect(a.history).toEqual(b.history);
  });
});

describe.skipIf(!nativeBackend)('learnedQuadraticPopulation native vs js', () => {
  const args = (seed: number) => {
    const M = 6;
    const d = 5;
    const K = 10;
    const tasks = fam.sample(random.key(seed), 3);
    const q = new Float64Array(3 * d * d);
    const c = new Float64Array(3 * d);
    tasks.forEach((t, i) => {
      q.set(t.q, i * d * d);
      c.set(t.center, i * d);
    });
    const thetas = new Float32Array(M * lo.size);
    for (let m = 0; m < M; m++) thetas.set(lo.init(m), m * lo.size);
    const params = new Float32Array(M * d);
    for (let m = 0; m < M; m++) params.set(tasks[m >> 1]!.init(), m * d);
    return [
      params,
      new Float32Array(M * 7 * d),
      new Float64Array(M),
      thetas,
      Int32Array.from([39, 8, 8, 2]),
      q,
      c,
      Uint32Array.from([0, 0, 1, 1, 2, 2]),
      random.normal(random.fold(random.key(seed), 1), 3 * K * d),
      new Float64Array(M * (K + 1)),
      { dim: d, steps: K, noise: 0.1, stepMult: 0.05, expMult: 0.5 },
    ] as Parameters<Backend['learnedQuadraticPopulation']>;
  };

  it('agree within float32 rounding over 10 steps of 6 members', () => {
    const n = args(3);
    const j = args(3);
    nativeBackend!.learnedQuadraticPopulation(...n);
    jsBackend.learnedQuadraticPopulation(...j);
    const start = args(3)[0];
    let span = 0;
    let diff = 0;
    for (let i = 0; i < n[0].length; i++) {
      span = Math.max(span, Math.abs(j[0][i]! - start[i]!));
      diff = Math.max(diff, Math.abs(n[0][i]! - j[0][i]!));
    }
    expect(span).toBeGreaterThan(0.01);
    expect(diff / span).toBeLessThan(1e-5);
    for (let i = 0; i < n[9].length; i++) expect(n[9][i]! / j[9][i]!).toBeCloseTo(1, 5);
    expect(n[2]).toEqual(j[2]);
  });

  it('gives bit-identical results for 1 and 2 threads', () => {
    const before = backend.threads();
    const run = (threads: number) => {
      backend.threads(threads);
      const a = args(4);
      nativeBackend!.learnedQuadraticPopulation(...a);
      return [a[0], a[1], a[9]];
    };
    const one = run(1);
    const two = run(2);
    backend.threads(before);
    expect(two).toEqual(one);
  });
});
