// MAML-TRPO's derivatives against float64 references written from pytorch-maml-rl
// (maml_rl/metalearners/maml_trpo.py: reinforce_loss for the inner VPG loss, surrogate_loss for
// the outer objective and the KL, both weighted_mean over episodes) on a tiny Gaussian policy and
// FIXED batches (the surrogates are differentiated, not the sampling):
//   - the meta-gradient through 1 and 2 inner VPG steps equals central finite differences of the
//     float64 meta-objective S(θ_K(θ)), whose inner steps use float64 finite-difference gradients;
//     the first-order variant (FOMAML) visibly does not;
//   - the Fisher-vector product through the adaptation equals the finite-difference Hessian of the
//     task-mean KL(π_old ‖ π_{θ_K(θ)}) at θ_old; the product at θ_K alone (no Jacobian) does not;
//   - the MAML-TRPO line search never accepts a step whose mean KL exceeds max-KL.
// Observed relative errors: 3e-7 (1 step), 8e-5 (2 steps, the nested differences' own error), FVP
// 2e-5, inner HVP 6e-7; the wrong variants are off by 0.9–2.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { adaptTask } from '../src/metarl/maml/adaptation.js';
import { MAML_DEFAULTS, type ResolvedMaml } from '../src/metarl/maml/config.js';
import type { TaskBatch } from '../src/metarl/maml/episodes.js';
import { MetaBatch } from '../src/metarl/maml/meta_batch.js';
import { TaskObjectives } from '../src/metarl/maml/objectives.js';
import { trpoStep } from '../src/metarl/maml/outer.js';
import type { GaussianPolicy } from '../src/metarl/maml/policy.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const OD = 2;
const D = 2;
const T = 2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function tinyPolicy(): GaussianPolicy {
  const mlp = nn.mlp({ sizes: [OD, 4, D], activation: 'tanh', init: { scheme: 'xavier' } });
  return {
    kind: 'gaussian',
    mlp,
    dim: D,
    mlpSize: mlp.size,
    size: mlp.size + D,
    init: (k) => {
      const p = new Float32Array(mlp.size + D);
      p.set(mlp.init(k));
      p[mlp.size] = -0.3;
      p[mlp.size + 1] = 0.2;
      return p;
    },
  };
}

/** A fixed batch: T tasks, episodes of lengths 3 and 5 each, random obs, actions, advantages. */
function fixedBatch(seed: number): TaskBatch {
  const lengths = [3, 5];
  const n = T * 8;
  const u = random.normal(random.key(seed), n * (OD + D + 1));
  const b: TaskBatch = {
    tasks: T,
    rowStart: Int32Array.from([0, 8, 16]),
    obs: u.slice(0, n * OD),
    actions: u.slice(n * OD, n * (OD + D)),
    weight: new Float64Array(n),
    adv: Float64Array.from(u.slice(n * (OD + D))),
    logpOld: new Float64Array(n),
    taskReturn: new Float64Array(T),
    envSteps: n,
  };
  let k = 0;
  for (let t = 0; t < T; t++)
    for (const len of lengths) for (let s = 0; s < len; s++) b.weight[k++] = 1 / (len * lengths.length);
  return b;
}

const config = (innerSteps: number, firstOrder = false): ResolvedMaml => ({
  ...MAML_DEFAULTS,
  hidden: [4],
  innerSteps,
  innerLr: 0.5,
  firstOrder,
  env: 'Navigation2D-v0',
  envOptions: {},
});

// ---- float64 references (pytorch-maml-rl's losses) ---------------------------------------------
function logProb64(p: GaussianPolicy, theta: ArrayLike<number>, b: TaskBatch, task: number): Float64Array {
  const lo = b.rowStart[task] as number;
  const n = (b.rowStart[task + 1] as number) - lo;
  const W = Array.from(theta).slice(0, p.mlpSize);
  const mu = p.mlp.forward64(W, b.obs.subarray(lo * OD, (lo + n) * OD), n);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++)
    for (let d = 0; d < D; d++) {
      const s = theta[p.mlpSize + d] as number;
      const z = ((b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number)) / Math.exp(s);
      out[r] = (out[r] as number) - 0.5 * z * z - s - HALF_LOG_2PI;
    }
  return out;
}
function innerLoss64(p: GaussianPolicy, theta: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lp = logProb64(p, theta, b, task);
  const lo = b.rowStart[task] as number;
  let l = 0;
  lp.forEach((x, r) => {
    l -= (b.weight[lo + r] as number) * (b.adv[lo + r] as number) * x;
  });
  return l;
}
function fdGrad(f: (th: Float64Array) => number, th: Float64Array, h: number): Float64Array {
  const g = new Float64Array(th.length);
  for (let i = 0; i < th.length; i++) {
    const a = th.slice();
    const c = th.slice();
    a[i] = (a[i] as number) + h;
    c[i] = (c[i] as number) - h;
    g[i] = (f(a) - f(c)) / (2 * h);
  }
  return g;
}
function adapt64(p: GaussianPolicy, th: Float64Array, inner: TaskBatch[], task: number, lr: number): Float64Array {
  let cur = th;
  for (const b of inner) {
    const g = fdGrad((x) => innerLoss64(p, x, b, task), cur, 1e-5);
    cur = cur.map((x, i) => x - lr * (g[i] as number));
  }
  return cur;
}
function surrogate64(p: GaussianPolicy, th: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lp = logProb64(p, th, b, task);
  const lo = b.rowStart[task] as number;
  let s = 0;
  lp.forEach((x, r) => {
    s += (b.weight[lo + r] as number) * Math.exp(x - (b.logpOld[lo + r] as number)) * (b.adv[lo + r] as number);
  });
  return s;
}
function kl64(p: GaussianPolicy, th: ArrayLike<number>, old: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lo = b.rowStart[task] as number;
  const n = (b.rowStart[task + 1] as number) - lo;
  const x = b.obs.subarray(lo * OD, (lo + n) * OD);
  const mu = p.mlp.forward64(Array.from(th).slice(0, p.mlpSize), x, n);
  const mo = p.mlp.forward64(Array.from(old).slice(0, p.mlpSize), x, n);
  let k = 0;
  for (let r = 0; r < n; r++)
    for (let d = 0; d < D; d++) {
      const s = th[p.mlpSize + d] as number;
      const so = old[p.mlpSize + d] as number;
      const diff = (mo[r * D + d] as number) - (mu[r * D + d] as number);
      k += (b.weight[lo + r] as number) * (s - so + (Math.exp(2 * so) + diff * diff) / (2 * Math.exp(2 * s)) - 0.5);
    }
  return k;
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
    s = Math.max(s, Math.abs(b[i] as number));
  }
  return m / s;
};

describe.each(backends)('metaRl.maml derivatives (%s)', (name) => {
  it('the meta-gradient through 1 and 2 inner VPG steps matches float64 finite differences', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(3));
    for (const K of [1, 2]) {
      const inner = Array.from({ length: K }, (_, k) => fixedBatch(10 + k));
      const valid = fixedBatch(20);
      const objs = inner.map((b) => new TaskObjectives(p, b));
      const paths = Array.from({ length: T }, (_, t) => adaptTask(theta, t, objs, 0.5));
      const mb = new MetaBatch(p, config(K), objs, paths, valid);
      const g = new Float32Array(p.size);
      mb.objective(mb.paths, 0, g);
      const gFirst = new Float32Array(p.size);
      new MetaBatch(p, config(K, true), objs, paths, valid).objective(paths, 0, gFirst);
      const meta64 = (th: Float64Array): number => {
        let s = 0;
        for (let t = 0; t < T; t++) s += surrogate64(p, adapt64(p, th, inner, t, 0.5), valid, t);
        return s / T;
      };
      const ref = fdGrad(meta64, Float64Array.from(theta), 1e-4);
      expect(relErr(g, ref)).toBeLessThan(2e-4);
      // FOMAML drops the inner Hessian: a plausible wrong variant, far off.
      expect(relErr(gFirst, ref)).toBeGreaterThan(1e-2);
    }
  });

  it('the KL Fisher-vector product through the adaptation matches the finite-difference KL Hessian', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(4));
    const inner = [fixedBatch(30)];
    const valid = fixedBatch(31);
    const objs = inner.map((b) => new TaskObjectives(p, b));
    const paths = Array.from({ length: T }, (_, t) => adaptTask(theta, t, objs, 0.5));
    const mb = new MetaBatch(p, config(1), objs, paths, valid);
    const v = random.normal(random.key(5), p.size);
    const fv = new Float32Array(p.size);
    mb.fvp(v, fv);
    const th0 = Float64Array.from(theta);
    const old = Array.from({ length: T }, (_, t) => adapt64(p, th0, inner, t, 0.5));
    const K = (th: Float64Array): number => {
      let k = 0;
      for (let t = 0; t < T; t++) k += kl64(p, adapt64(p, th, inner, t, 0.5), old[t] as Float64Array, valid, t);
      return k / T;
    };
    // H v = ∇(vᵀ∇K) by central differences of the directional derivative.
    const h = 1e-3;
    const dir = (th: Float64Array): number => {
      const a = th.map((x, i) => x + h * (v[i] as number));
      const c = th.map((x, i) => x - h * (v[i] as number));
      return (K(a) - K(c)) / (2 * h);
    };
    const ref = fdGrad(dir, th0, 1e-3);
    expect(relErr(fv, ref)).toBeLessThan(2e-4);
    // The Fisher at the adapted parameters alone (no Jacobian of the adaptation) is wrong.
    const plain = new Float32Array(p.size);
    const only = new Float32Array(p.size);
    for (let t = 0; t < T; t++) {
      mb.valid.fvp(paths[t]?.[1] as Float32Array, t, v, only);
      for (let i = 0; i < p.size; i++) plain[i] = (plain[i] as number) + (only[i] as number) / T;
    }
    expect(relErr(plain, ref)).toBeGreaterThan(2e-2);
  });

  it('the inner-loss Hessian-vector product (with the log-std cross terms) matches finite differences', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(6));
    const b = fixedBatch(40);
    const obj = new TaskObjectives(p, b);
    const v = random.normal(random.key(7), p.size);
    const hv = new Float32Array(p.size);
    obj.innerHvp(theta, 1, v, hv);
    const g = new Float32Array(p.size);
    const gradAt = (th: Float64Array): Float64Array => {
      obj.innerGrad(Float32Array.from(th), 1, g);
      return Float64Array.from(g);
    };
    const ref = fdGrad(
      (th) => {
        const a = th.map((x, i) => x + 1e-4 * (v[i] as number));
        const c = th.map((x, i) => x - 1e-4 * (v[i] as number));
        return (innerLoss64(p, a, b, 1) - innerLoss64(p, c, b, 1)) / 2e-4;
      },
      Float64Array.from(theta),
      1e-3,
    );
    expect(relErr(hv, ref)).toBeLessThan(1e-5);
    // and the gradient itself
    expect(
      relErr(
        gradAt(Float64Array.from(theta)),
        fdGrad((th) => innerLoss64(p, th, b, 1), Float64Array.from(theta), 1e-5),
      ),
    ).toBeLessThan(1e-4);
  });

  it('the line search never accepts a step whose mean KL exceeds max-KL', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    for (const maxKl of [1e-4, 1e-3, 1e-2, 0.1]) {
      const theta = p.init(random.key(8));
      const inner = [fixedBatch(50)];
      const valid = fixedBatch(51);
      const objs = inner.map((b) => new TaskObjectives(p, b));
      const paths = Array.from({ length: T }, (_, t) => adaptTask(theta, t, objs, 0.5));
      // No damping in the scale and a huge CG budget: the quadratic model is as loose as it gets.
      const c = { ...config(1), maxKl, cgDamping: 0, lineSearchSteps: 30 };
      const mb = new MetaBatch(p, c, objs, paths, valid);
      const before = theta.slice();
      const s = trpoStep(mb, theta);
      const after = mb.objective(mb.pathsFrom(theta), 0);
      expect(after.kl).toBeLessThanOrEqual(maxKl);
      if (s.stepFraction === 0) expect(theta).toEqual(before);
      else expect(after.value).toBeGreaterThan(mb.objective(mb.paths, 0).value);
    }
  });
});
