// MAML-TRPO's derivatives for the categorical policy (pytorch-maml-rl's CategoricalMLPPolicy:
// logits from the MLP, log π(a) = z_a − logsumexp z) against float64 references written from
// pytorch-maml-rl (maml_rl/metalearners/maml_trpo.py: reinforce_loss, surrogate_loss, the mean KL
// kl_divergence(π_old, π) of torch's Categorical, weighted_mean over episodes) on a tiny policy and
// FIXED batches (the surrogates are differentiated, not the sampling):
//   - the meta-gradient through 1 and 2 inner VPG steps equals central finite differences of the
//     float64 meta-objective (inner steps on float64 finite-difference gradients); FOMAML does not;
//   - the Fisher-vector product through the adaptation equals the finite-difference Hessian of the
//     task-mean categorical KL at θ_old; a Fisher without the −ppᵀ term (diag(p) only) does not;
//   - the inner-loss HVP and gradient equal finite differences;
//   - metaRl.maml on Bandit-v0 trains deterministically and inside the trust region (Reptile and TabularMDP-v0 run).
// Observed relative errors: 3e-7 (1 and 2 steps), FVP 1e-5 (the FD Hessian's own error), inner HVP
// 3e-6; the wrong variants are off by 0.25–0.42.
import { afterAll, describe, expect, it } from 'vitest';
import { backend } from '../src/backend/index.js';
import { metaRl } from '../src/index.js';
import { adaptTask } from '../src/metarl/maml/adaptation.js';
import { MAML_DEFAULTS, type ResolvedMaml } from '../src/metarl/maml/config.js';
import type { TaskBatch } from '../src/metarl/maml/episodes.js';
import { MetaBatch } from '../src/metarl/maml/meta_batch.js';
import { taskObjectives } from '../src/metarl/maml/objectives.js';
import type { CategoricalPolicy } from '../src/metarl/maml/policy.js';
import { ggnvp } from '../src/nn/ggn.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { backends } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const OD = 2;
const K = 3;
const T = 2;

function tinyPolicy(): CategoricalPolicy {
  const mlp = nn.mlp({ sizes: [OD, 4, K], activation: 'tanh', init: { scheme: 'xavier' } });
  return { kind: 'categorical', mlp, dim: 1, actions: K, mlpSize: mlp.size, size: mlp.size, init: (k) => mlp.init(k) };
}

/** A fixed batch: T tasks, episodes of lengths 3 and 5 each, random obs, actions, advantages. */
function fixedBatch(seed: number): TaskBatch {
  const lengths = [3, 5];
  const n = T * 8;
  const u = random.normal(random.key(seed), n * (OD + 1));
  const a = random.bits(random.key(seed + 1000), n);
  const b: TaskBatch = {
    tasks: T,
    rowStart: Int32Array.from([0, 8, 16]),
    obs: u.slice(0, n * OD),
    actions: Float32Array.from(a, (x) => x % K),
    weight: new Float64Array(n),
    adv: Float64Array.from(u.slice(n * OD)),
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
  env: 'Bandit-v0',
  envOptions: {},
});

// ---- float64 references (pytorch-maml-rl's losses over torch.distributions.Categorical) ---------
function logSoftmax64(p: CategoricalPolicy, theta: ArrayLike<number>, b: TaskBatch, task: number): Float64Array[] {
  const lo = b.rowStart[task] as number;
  const n = (b.rowStart[task + 1] as number) - lo;
  const z = p.mlp.forward64(Array.from(theta), b.obs.subarray(lo * OD, (lo + n) * OD), n);
  return Array.from({ length: n }, (_, r) => {
    const row = Array.from({ length: K }, (_, j) => z[r * K + j] as number);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, x) => s + Math.exp(x - m), 0));
    return Float64Array.from(row, (x) => x - lse);
  });
}
function logProb64(p: CategoricalPolicy, theta: ArrayLike<number>, b: TaskBatch, task: number): Float64Array {
  const lo = b.rowStart[task] as number;
  return Float64Array.from(logSoftmax64(p, theta, b, task), (row, r) => row[b.actions[lo + r] as number] as number);
}
function innerLoss64(p: CategoricalPolicy, theta: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lo = b.rowStart[task] as number;
  let l = 0;
  logProb64(p, theta, b, task).forEach((x, r) => {
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
function adapt64(p: CategoricalPolicy, th: Float64Array, inner: TaskBatch[], task: number, lr: number): Float64Array {
  let cur = th;
  for (const b of inner) {
    const g = fdGrad((x) => innerLoss64(p, x, b, task), cur, 1e-5);
    cur = cur.map((x, i) => x - lr * (g[i] as number));
  }
  return cur;
}
function surrogate64(p: CategoricalPolicy, th: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lo = b.rowStart[task] as number;
  let s = 0;
  logProb64(p, th, b, task).forEach((x, r) => {
    s += (b.weight[lo + r] as number) * Math.exp(x - (b.logpOld[lo + r] as number)) * (b.adv[lo + r] as number);
  });
  return s;
}
function kl64(p: CategoricalPolicy, th: ArrayLike<number>, old: ArrayLike<number>, b: TaskBatch, task: number): number {
  const lo = b.rowStart[task] as number;
  const lq = logSoftmax64(p, th, b, task);
  const lp = logSoftmax64(p, old, b, task);
  let k = 0;
  lp.forEach((row, r) => {
    let kr = 0;
    row.forEach((x, j) => {
      kr += Math.exp(x) * (x - (lq[r]?.[j] as number));
    });
    k += (b.weight[lo + r] as number) * kr;
  });
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

describe.each(backends)('metaRl.maml categorical derivatives (%s)', (name) => {
  it('the meta-gradient through 1 and 2 inner VPG steps matches float64 finite differences', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(3));
    for (const steps of [1, 2]) {
      const inner = Array.from({ length: steps }, (_, k) => fixedBatch(10 + k));
      const valid = fixedBatch(20);
      const objs = inner.map((b) => taskObjectives(p, b));
      const paths = Array.from({ length: T }, (_, t) => adaptTask(theta, t, objs, 0.5));
      const mb = new MetaBatch(p, config(steps), objs, paths, valid);
      const g = new Float32Array(p.size);
      mb.objective(mb.paths, 0, g);
      const gFirst = new Float32Array(p.size);
      new MetaBatch(p, config(steps, true), objs, paths, valid).objective(paths, 0, gFirst);
      const meta64 = (th: Float64Array): number => {
        let s = 0;
        for (let t = 0; t < T; t++) s += surrogate64(p, adapt64(p, th, inner, t, 0.5), valid, t);
        return s / T;
      };
      const ref = fdGrad(meta64, Float64Array.from(theta), 1e-4);
      expect(relErr(g, ref)).toBeLessThan(3e-6);
      expect(relErr(gFirst, ref)).toBeGreaterThan(1e-2);
    }
  });

  it('the KL Fisher-vector product through the adaptation matches the finite-difference KL Hessian', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(4));
    const inner = [fixedBatch(30)];
    const valid = fixedBatch(31);
    const objs = inner.map((b) => taskObjectives(p, b));
    const paths = Array.from({ length: T }, (_, t) => adaptTask(theta, t, objs, 0.5));
    const mb = new MetaBatch(p, config(1), objs, paths, valid);
    const v = random.normal(random.key(5), p.size);
    const fv = new Float32Array(p.size);
    mb.fvp(v, fv);
    const th0 = Float64Array.from(theta);
    const old = Array.from({ length: T }, (_, t) => adapt64(p, th0, inner, t, 0.5));
    const KL = (th: Float64Array): number => {
      let k = 0;
      for (let t = 0; t < T; t++) k += kl64(p, adapt64(p, th, inner, t, 0.5), old[t] as Float64Array, valid, t);
      return k / T;
    };
    const h = 1e-3;
    const dir = (th: Float64Array): number => {
      const a = th.map((x, i) => x + h * (v[i] as number));
      const c = th.map((x, i) => x - h * (v[i] as number));
      return (KL(a) - KL(c)) / (2 * h);
    };
    const ref = fdGrad(dir, th0, 1e-3);
    expect(relErr(fv, ref)).toBeLessThan(5e-5);
    // At θ_K alone (no adaptation Jacobian), the product vs the FD Hessian of the KL at θ_K.
    const lo = 0;
    const thK = paths[lo]?.[1] as Float32Array;
    const direct = new Float32Array(p.size);
    mb.valid.fvp(thK, 0, v, direct);
    const K0 = (th: Float64Array) => kl64(p, th, Float64Array.from(thK), valid, 0);
    const dir0 = (th: Float64Array): number => {
      const a = th.map((x, i) => x + h * (v[i] as number));
      const c = th.map((x, i) => x - h * (v[i] as number));
      return (K0(a) - K0(c)) / (2 * h);
    };
    const ref0 = fdGrad(dir0, Float64Array.from(thK), 1e-3);
    expect(relErr(direct, ref0)).toBeLessThan(5e-5);
    // Wrong variant: the output Hessian diag(p) alone (dropping −ppᵀ), far off.
    const n = 8;
    const z = p.mlp.forward(thK, valid.obs.subarray(0, n * OD), n);
    const diagOnly = ggnvp(
      p.mlp,
      thK,
      valid.obs.subarray(0, n * OD),
      n,
      {
        name: 'diagOnly',
        check: () => undefined,
        value: () => Number.NaN,
        grad: () => Number.NaN,
        hvp: (_y, _b, u, hy) => {
          for (let r = 0; r < n; r++) {
            let s = 0;
            for (let j = 0; j < K; j++) s += Math.exp(z[r * K + j] as number);
            for (let j = 0; j < K; j++)
              hy[r * K + j] =
                ((valid.weight[r] as number) * Math.exp(z[r * K + j] as number) * (u[r * K + j] as number)) / s;
          }
        },
      },
      v,
    );
    expect(relErr(diagOnly, ref0)).toBeGreaterThan(2e-2);
    // Through the adaptation: the plain product at θ_K is wrong too.
    const plain = new Float32Array(p.size);
    const only = new Float32Array(p.size);
    for (let t = 0; t < T; t++) {
      mb.valid.fvp(paths[t]?.[1] as Float32Array, t, v, only);
      for (let i = 0; i < p.size; i++) plain[i] = (plain[i] as number) + (only[i] as number) / T;
    }
    expect(relErr(plain, ref)).toBeGreaterThan(2e-2);
  });

  it('the inner-loss gradient and Hessian-vector product match finite differences', () => {
    backend.use(name as 'native' | 'js');
    const p = tinyPolicy();
    const theta = p.init(random.key(6));
    const b = fixedBatch(40);
    const obj = taskObjectives(p, b);
    const v = random.normal(random.key(7), p.size);
    const hv = new Float32Array(p.size);
    obj.innerHvp(theta, 1, v, hv);
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
    const g = new Float32Array(p.size);
    const value = obj.innerGrad(theta, 1, g);
    expect(value).toBeCloseTo(innerLoss64(p, theta, b, 1), 5);
    expect(
      relErr(
        g,
        fdGrad((th) => innerLoss64(p, th, b, 1), Float64Array.from(theta), 1e-5),
      ),
    ).toBeLessThan(1e-4);
    const lp = new Float64Array(b.adv.length);
    obj.logProb(theta, 1, lp);
    expect(relErr(lp.subarray(8), logProb64(p, theta, b, 1))).toBeLessThan(1e-6);
  });
});

describe('metaRl.maml on Bandit-v0 (categorical policy)', () => {
  const small = {
    env: 'Bandit-v0',
    envOptions: { arms: 3, pulls: 1 },
    policy: { hidden: [8], activation: 'relu' as const },
    innerLr: 0.5,
    gamma: 0.95,
    metaBatch: 4,
    episodesPerTask: 5,
  };
  it('trains deterministically inside the trust region; adapt and evaluate work', async () => {
    const a = await metaRl.maml(small).train({ iterations: 3, seed: 5 });
    const b = await metaRl.maml(small).train({ iterations: 3, seed: 5 });
    expect(a.params).toEqual(b.params);
    for (const h of a.history) expect(h.kl).toBeLessThanOrEqual(MAML_DEFAULTS.maxKl);
    const m = metaRl.maml(small);
    expect(m.size).toBe(4 * 8 + 8 + 8 * 3 + 3); // [4 → 8 → 3] weights and biases, no log-std
    const ad = await m.adapt(a.params, Float32Array.of(0.9, 0.1, 0.1), { seed: 1 });
    expect(ad.length).toBe(m.size);
    const ev = await m.evaluate(a.params, { tasks: 4, steps: [0, 1], episodes: 5, baselines: { pretrained: false } });
    expect(ev.returns.length).toBe(2);
    for (const r of ev.returns) expect(r).toBeGreaterThanOrEqual(0);
    const ep = m.meanEpisode(a.params, Float32Array.of(0.9, 0.1, 0.1));
    expect([0, 1]).toContain(ep.return);
    const r = await metaRl.reptile({ ...small, innerSteps: 2 }).train({ iterations: 2, seed: 1 });
    expect(r.history.length).toBe(2);
    const mdp = await metaRl
      .maml({ env: 'TabularMDP-v0', policy: { hidden: [8] }, metaBatch: 2, episodesPerTask: 2 })
      .train({ iterations: 1, seed: 0 });
    expect(Number.isFinite(mdp.history[0]?.postReturn)).toBe(true);
  });
});
