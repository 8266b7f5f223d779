// The batched MAML products (mamlGaussianPrepare / mamlGaussianProducts, src/metarl/maml/batched.ts)
// on a two-hidden-layer Gaussian policy and a fixed batch of 3 tasks (one of them empty):
//   - the inner-loss Hessian product equals the float64 finite-difference Hessian of
//     pytorch-maml-rl's reinforce_loss (−Σ w·A·log π, weighted_mean) — the Gauss-Newton (Fisher)
//     product in its place visibly does not;
//   - the KL Fisher product equals the finite-difference Hessian of the weighted KL(π_old ‖ π) at π_old;
//   - both equal the per-task products of TaskObjectives (the unbatched path) and native ≡ js
//     (tape, back cache and products), tolerances near float32 rounding;
//   - bad arguments fail with errors naming them.
import { afterAll, describe, expect, it } from 'vitest';
import { backend, getBackend } from '../src/backend/index.js';
import { mamlTapeWidth } from '../src/backend/kernels/metarl.js';
import { BatchProducts, innerGrads } from '../src/metarl/maml/batched.js';
import type { TaskBatch } from '../src/metarl/maml/episodes.js';
import { TaskObjectives } from '../src/metarl/maml/objectives.js';
import type { GaussianPolicy } from '../src/metarl/maml/policy.js';
import * as nn from '../src/nn/index.js';
import * as random from '../src/random/index.js';
import { backends, jsBackend, maxRelDiff, nativeBackend, nativeSkipReason } from './helpers/backends.js';

const initial = backend.current();
afterAll(() => backend.use(initial));

const OD = 3;
const D = 2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const ROWS = [7, 0, 5]; // task 1 has no rows

function policy(activation: 'tanh' | 'softplus'): GaussianPolicy {
  const mlp = nn.mlp({ sizes: [OD, 6, 5, D], activation, init: { scheme: 'xavier' } });
  return {
    kind: 'gaussian',
    mlp,
    dim: D,
    mlpSize: mlp.size,
    size: mlp.size + D,
    init: (k) => {
      const p = new Float32Array(mlp.size + D);
      p.set(mlp.init(k));
      p[mlp.size] = -0.4;
      p[mlp.size + 1] = 0.3;
      return p;
    },
  };
}

function fixedBatch(seed: number): TaskBatch {
  const n = ROWS.reduce((a, b) => a + b, 0);
  const u = random.normal(random.key(seed), n * (OD + D + 2));
  const rowStart = new Int32Array(ROWS.length + 1);
  ROWS.forEach((r, t) => {
    rowStart[t + 1] = (rowStart[t] as number) + r;
  });
  return {
    tasks: ROWS.length,
    rowStart,
    obs: u.slice(0, n * OD),
    actions: u.slice(n * OD, n * (OD + D)),
    weight: Float64Array.from(u.slice(n * (OD + D), n * (OD + D + 1)), (x) => 0.05 + 0.1 * Math.abs(x)),
    adv: Float64Array.from(u.slice(n * (OD + D + 1))),
    logpOld: new Float64Array(n),
    taskReturn: new Float64Array(ROWS.length),
    envSteps: n,
  };
}

// float64 references: the inner loss and the weighted KL of one task.
function means64(p: GaussianPolicy, th: ArrayLike<number>, b: TaskBatch, lo: number, n: number): Float64Array {
  return p.mlp.forward64(Array.from(th).slice(0, p.mlpSize), b.obs.subarray(lo * OD, (lo + n) * OD), n);
}
function innerLoss64(p: GaussianPolicy, th: ArrayLike<number>, b: TaskBatch, t: number): number {
  const lo = b.rowStart[t] as number;
  const n = (b.rowStart[t + 1] as number) - lo;
  const mu = means64(p, th, b, lo, n);
  let l = 0;
  for (let r = 0; r < n; r++)
    for (let d = 0; d < D; d++) {
      const s = th[p.mlpSize + d] as number;
      const z = ((b.actions[(lo + r) * D + d] as number) - (mu[r * D + d] as number)) / Math.exp(s);
      l -= (b.weight[lo + r] as number) * (b.adv[lo + r] as number) * (-0.5 * z * z - s - HALF_LOG_2PI);
    }
  return l;
}
function kl64(p: GaussianPolicy, th: ArrayLike<number>, old: ArrayLike<number>, b: TaskBatch, t: number): number {
  const lo = b.rowStart[t] as number;
  const n = (b.rowStart[t + 1] as number) - lo;
  const mu = means64(p, th, b, lo, n);
  const mo = means64(p, old, b, lo, n);
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
/** H v of f at th by central differences of the directional derivative's gradient. */
function fdHvp(f: (x: Float64Array) => number, th: Float64Array, v: ArrayLike<number>): Float64Array {
  const h = 1e-4;
  const g = 1e-3;
  const dir = (x: Float64Array): number =>
    (f(x.map((y, i) => y + h * (v[i] as number))) - f(x.map((y, i) => y - h * (v[i] as number)))) / (2 * h);
  const out = new Float64Array(th.length);
  for (let i = 0; i < th.length; i++) {
    const a = th.slice();
    const c = th.slice();
    a[i] = (a[i] as number) + g;
    c[i] = (c[i] as number) - g;
    out[i] = (dir(a) - dir(c)) / (2 * g);
  }
  return out;
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

function setup(activation: 'tanh' | 'softplus') {
  const p = policy(activation);
  const b = fixedBatch(11);
  const T = b.tasks;
  const params = new Float32Array(T * p.size);
  for (let t = 0; t < T; t++) params.set(p.init(random.key(20 + t)), t * p.size);
  const v = random.normal(random.key(30), T * p.size);
  return { p, b, T, params, v, row: (a: Float32Array, t: number) => a.subarray(t * p.size, (t + 1) * p.size) };
}

describe.each(backends)('batched MAML products (%s)', (name) => {
  for (const activation of ['tanh', 'softplus'] as const) {
    it(`${activation}: the inner Hessian product matches float64 finite differences and the per-task path`, () => {
      backend.use(name as 'native' | 'js');
      const { p, b, T, params, v, row } = setup(activation);
      const hv = BatchProducts.inner(p, b, params, 'inner0').apply(v).slice();
      const gn = BatchProducts.fisher(p, b, params, 'fisher').apply(v).slice();
      const obj = new TaskObjectives(p, b);
      const one = new Float32Array(p.size);
      for (const t of [0, 2]) {
        const ref = fdHvp((x) => innerLoss64(p, x, b, t), Float64Array.from(row(params, t)), row(v, t));
        expect(relErr(row(hv, t), ref)).toBeLessThan(2e-5);
        // The Gauss-Newton product (what a Fisher/GGN shortcut would give) is not the Hessian.
        expect(relErr(row(gn, t), ref)).toBeGreaterThan(5e-2);
        obj.innerHvp(row(params, t), t, row(v, t), one);
        expect(maxRelDiff(row(hv, t), one)).toBeLessThan(1e-5);
      }
      expect(Array.from(row(hv, 1))).toEqual(new Array(p.size).fill(0)); // the empty task
      void T;
    });

    it(`${activation}: the KL Fisher product matches the finite-difference KL Hessian at π_old`, () => {
      backend.use(name as 'native' | 'js');
      const { p, b, params, v, row } = setup(activation);
      const fv = BatchProducts.fisher(p, b, params, 'fisher').apply(v).slice();
      const obj = new TaskObjectives(p, b);
      const one = new Float32Array(p.size);
      for (const t of [0, 2]) {
        const old = Float64Array.from(row(params, t));
        const ref = fdHvp((x) => kl64(p, x, old, b, t), old, row(v, t));
        expect(relErr(row(fv, t), ref)).toBeLessThan(2e-5);
        obj.fvp(row(params, t), t, row(v, t), one);
        expect(maxRelDiff(row(fv, t), one)).toBeLessThan(1e-5);
      }
    });
  }

  it('the batched inner gradients equal the per-task ones', () => {
    backend.use(name as 'native' | 'js');
    const { p, b, T, params, row } = setup('tanh');
    const G = innerGrads(p, b, params);
    const obj = new TaskObjectives(p, b);
    const one = new Float32Array(p.size);
    for (let t = 0; t < T; t++) {
      obj.innerGrad(row(params, t), t, one);
      expect(maxRelDiff(row(G, t), one)).toBeLessThan(1e-6);
    }
  });

  it('products whose buffers a later meta-batch took over prepare them again (same result)', () => {
    backend.use(name as 'native' | 'js');
    const { p, b, params, v } = setup('tanh');
    const first = BatchProducts.inner(p, b, params, 'inner0');
    const before = first.apply(v).slice();
    const other = params.map((x) => x * 0.5);
    BatchProducts.inner(p, b, other, 'inner0').apply(v);
    expect(Array.from(first.apply(v))).toEqual(Array.from(before));
  });

  it('rejects bad arguments, naming them', () => {
    backend.use(name as 'native' | 'js');
    const { p, b, T, params, v } = setup('tanh');
    const k = getBackend();
    const sizes = Int32Array.from(p.mlp.sizes);
    const rows = b.rowStart[T] as number;
    const tape = new Float32Array(rows * mamlTapeWidth(sizes));
    const coef = new Float64Array(rows);
    const out = new Float32Array(T * p.size);
    const sc = { hidden: 1, output: 0, tasks: T, mode: 0 as const };
    expect(() =>
      k.mamlGaussianProducts(sizes, params, b.obs, b.rowStart, b.actions, coef, tape, null, v, out, sc),
    ).toThrow(/back/);
    expect(() =>
      k.mamlGaussianPrepare(sizes, params, b.obs, Int32Array.from([0, 5, 3, rows]), b.actions, coef, tape, null, sc),
    ).toThrow(/rowStart/);
    expect(() =>
      k.mamlGaussianPrepare(sizes, params.subarray(1), b.obs, b.rowStart, b.actions, coef, tape, null, sc),
    ).toThrow(/params/);
  });
});

describe.skipIf(!nativeBackend)(`batched MAML products: native ≡ js (skipped: ${nativeSkipReason})`, () => {
  it('the same tape, back cache and products on both backends', () => {
    const { p, b, T, params, v } = setup('tanh');
    const sizes = Int32Array.from(p.mlp.sizes);
    const rows = b.rowStart[T] as number;
    const w = mamlTapeWidth(sizes);
    const coef = Float64Array.from(b.weight, (x, i) => x * (b.adv[i] as number));
    const run = (k: typeof jsBackend) => {
      const tape = new Float32Array(rows * w);
      const back = new Float32Array(rows * w);
      const sc = { hidden: 1, output: 0, tasks: T };
      k.mamlGaussianPrepare(sizes, params, b.obs, b.rowStart, b.actions, coef, tape, back, sc);
      const h = new Float32Array(T * p.size);
      const f = new Float32Array(T * p.size);
      k.mamlGaussianProducts(sizes, params, b.obs, b.rowStart, b.actions, coef, tape, back, v, h, { ...sc, mode: 0 });
      k.mamlGaussianProducts(sizes, params, b.obs, b.rowStart, b.actions, b.weight, tape, null, v, f, {
        ...sc,
        mode: 1,
      });
      return { tape, back, h, f };
    };
    const n = run(nativeBackend as typeof jsBackend);
    const j = run(jsBackend);
    expect(maxRelDiff(n.tape, j.tape)).toBeLessThan(1e-6);
    expect(maxRelDiff(n.back, j.back)).toBeLessThan(1e-6);
    expect(maxRelDiff(n.h, j.h)).toBeLessThan(1e-5);
    expect(maxRelDiff(n.f, j.f)).toBeLessThan(1e-5);
  });
});
