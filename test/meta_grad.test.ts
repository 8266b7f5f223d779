// Meta-gradients of the batched kernels against finite differences (float64-free: central
// differences of the float32 kernels along random directions on tiny smooth nets), and against
// hand/closed-form references (Reptile, iMAML on a quadratic).
import { describe, expect, it } from 'vitest';
import type { MetaAdaptScalars, MetaKernels, MetaLossKind, MetaMode } from '../src/backend/kernels/meta.js';
import { mlpParamCount } from '../src/backend/kernels/nn.js';
import type { Backend } from '../src/backend/types.js';
import { metaKernels } from '../src/meta/kernels.js';
import { gaussianClusters, sine } from '../src/meta/tasks/index.js';
import { key, normal } from '../src/random/index.js';
import { backends, jsBackend, maxRelDiff, nativeBackend, paritySuite } from './helpers/backends.js';
import { solveDense } from './helpers/linalg.js';

const TANH = 1;
const IDENTITY = 0;

function kernelsFor(b: Backend): MetaKernels {
  return metaKernels(b);
}

interface Problem {
  sizes: Int32Array;
  hidden: number;
  loss: MetaLossKind;
  tasks: number;
  S: number;
  Q: number;
  sx: Float32Array;
  sy: Float32Array | Int32Array;
  qx: Float32Array;
  qy: Float32Array | Int32Array;
  params: Float32Array;
}

function sineProblem(seed: number, sizes = [1, 6, 6, 1], tasks = 3): Problem {
  const b = sine().sample(key(seed), tasks, 5, 5);
  const P = mlpParamCount(sizes);
  const params = normal(key(seed + 100), P).map((v) => 0.5 * v);
  return {
    sizes: Int32Array.from(sizes),
    hidden: TANH,
    loss: 'mse',
    tasks,
    S: 5,
    Q: 5,
    sx: b.supportX,
    sy: b.supportY,
    qx: b.queryX,
    qy: b.queryY,
    params,
  };
}

// The kernels' scalars for a problem.
function scalars(p: Problem, steps: number, lambda: number): MetaAdaptScalars {
  return {
    hidden: p.hidden,
    output: IDENTITY,
    loss: p.loss,
    steps,
    lambda,
    tasks: p.tasks,
    supportRows: p.S,
    queryRows: p.Q,
  };
}

// Mean query loss after `steps` inner steps (the meta-objective), via adaptEvaluate.
function objective(
  k: MetaKernels,
  p: Problem,
  params: Float32Array,
  lr: Float32Array,
  steps: number,
  lambda = 0,
): number {
  const losses = new Float32Array(p.tasks * (steps + 1));
  k.metaAdaptEvaluate(p.sizes, params, lr, p.sx, p.sy, p.qx, p.qy, losses, null, scalars(p, steps, lambda));
  let s = 0;
  for (let t = 0; t < p.tasks; t++) s += losses[t * (steps + 1) + steps] as number;
  return s / p.tasks;
}

function metaGrad(
  k: MetaKernels,
  p: Problem,
  lr: Float32Array,
  steps: number,
  mode: MetaMode,
  lrGrad: Float32Array | null = null,
  lambda = 0,
  cg = 0,
): Float32Array {
  const g = new Float32Array(p.params.length);
  k.metaGradBatch(p.sizes, p.params, lr, p.sx, p.sy, p.qx, p.qy, g, lrGrad, null, null, {
    ...scalars(p, steps, lambda),
    mode,
    cgSteps: cg,
  });
  return g;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

// Central difference of f along d, scaled so the step is eps in parameter units.
function directional(f: (x: Float32Array) => number, x: Float32Array, d: Float32Array, eps: number): number {
  const plus = x.map((v, i) => v + eps * (d[i] as number));
  const minus = x.map((v, i) => v - eps * (d[i] as number));
  return (f(plus) - f(minus)) / (2 * eps);
}

describe.each(backends)('meta-gradients (%s)', (_name, b) => {
  const k = kernelsFor(b);

  for (const steps of [1, 2, 3]) {
    it(`second-order MAML with ${steps} inner step(s) matches finite differences (and first order does not)`, () => {
      const p = sineProblem(steps);
      const lr = new Float32Array([0.1]);
      const g2 = metaGrad(k, p, lr, steps, 'secondOrder');
      const g1 = metaGrad(k, p, lr, steps, 'firstOrder');
      let worst2 = 0;
      let worst1 = 0;
      for (let r = 0; r < 4; r++) {
        const d = normal(key(1000 + r), p.params.length);
        const fd = directional((x) => objective(k, p, x, lr, steps), p.params, d, 1e-3);
        const scale = Math.max(Math.abs(fd), 1e-3);
        worst2 = Math.max(worst2, Math.abs(dot(g2, d) - fd) / scale);
        worst1 = Math.max(worst1, Math.abs(dot(g1, d) - fd) / scale);
      }
      expect(worst2).toBeLessThan(5e-3);
      expect(worst1).toBeGreaterThan(20 * worst2); // the second-order terms matter here
    });
  }

  it("second-order MAML on Finn et al.'s 1-40-40-1 ReLU sine setting (K = 10, lr 0.01) matches finite differences", () => {
    // The realistic size, where ReLU kinks and float32 rounding could hide a wrong second-order term.
    const sizes = [1, 40, 40, 1];
    const b = sine().sample(key(77), 4, 10, 10);
    const p: Problem = {
      sizes: Int32Array.from(sizes),
      hidden: 2, // relu
      loss: 'mse',
      tasks: 4,
      S: 10,
      Q: 10,
      sx: b.supportX,
      sy: b.supportY,
      qx: b.queryX,
      qy: b.queryY,
      params: normal(key(78), mlpParamCount(sizes)).map((v) => 0.2 * v),
    };
    const lr = new Float32Array([0.01]);
    const g2 = metaGrad(k, p, lr, 1, 'secondOrder');
    const g1 = metaGrad(k, p, lr, 1, 'firstOrder');
    for (let r = 0; r < 3; r++) {
      const d = normal(key(4000 + r), p.params.length);
      // A central difference straddling a ReLU kink is off for that step size only, so take the best
      // of two small steps (float32 limits how small they can be).
      const errors = [1e-4, 3e-5].map((eps) => {
        const fd = directional((x) => objective(k, p, x, lr, 1), p.params, d, eps);
        return Math.abs(dot(g2, d) - fd) / Math.max(Math.abs(fd), 1e-3);
      });
      expect(Math.min(...errors)).toBeLessThan(1e-2);
      // The first-order gradient misses the Hessian term, which is visible at this size.
      expect(Math.abs(dot(g1, d) - dot(g2, d)) / Math.abs(dot(g2, d))).toBeGreaterThan(0.05);
    }
  });

  it("Meta-SGD's learning-rate gradient and per-parameter meta-gradient match finite differences", () => {
    const p = sineProblem(7);
    const P = p.params.length;
    const lr = new Float32Array(P).map((_, i) => 0.05 + 0.001 * (i % 7));
    const lrGrad = new Float32Array(P);
    const g = metaGrad(k, p, lr, 2, 'secondOrder', lrGrad);
    for (let r = 0; r < 3; r++) {
      const d = normal(key(2000 + r), P);
      const fdLr = directional((l) => objective(k, p, p.params, l, 2), lr, d, 1e-3);
      expect(Math.abs(dot(lrGrad, d) - fdLr) / Math.max(Math.abs(fdLr), 1e-3)).toBeLessThan(1e-2);
      const fdP = directional((x) => objective(k, p, x, lr, 2), p.params, d, 1e-3);
      expect(Math.abs(dot(g, d) - fdP) / Math.max(Math.abs(fdP), 1e-3)).toBeLessThan(5e-3);
    }
  });

  it('second-order MAML with cross-entropy matches finite differences', () => {
    const c = gaussianClusters({ dim: 2, ways: 3 }).sample(key(9), 2, 2, 2);
    const sizes = Int32Array.from([2, 5, 3]);
    const params = normal(key(19), mlpParamCount(sizes)).map((v) => 0.5 * v);
    const p: Problem = {
      sizes,
      hidden: TANH,
      loss: 'crossEntropy',
      tasks: 2,
      S: c.supportRows,
      Q: c.queryRows,
      sx: c.supportX,
      sy: c.supportY,
      qx: c.queryX,
      qy: c.queryY,
      params,
    };
    const lr = new Float32Array([0.5]);
    const g = metaGrad(k, p, lr, 2, 'secondOrder');
    for (let r = 0; r < 3; r++) {
      const d = normal(key(3000 + r), params.length);
      const fd = directional((x) => objective(k, p, x, lr, 2), params, d, 1e-3);
      expect(Math.abs(dot(g, d) - fd) / Math.max(Math.abs(fd), 1e-3)).toBeLessThan(5e-3);
    }
  });

  it('Reptile returns theta - phi after k hand-computed SGD steps', () => {
    // Linear model y = w x + b, MSE over 3 points: grad = 2/n Σ (w x + b − t) [x, 1].
    const sizes = Int32Array.from([1, 1]);
    const xs = [0.5, -1, 2];
    const ts = [1, 0, -1];
    const theta = [0.3, -0.2];
    const alpha = 0.1;
    let phi = [...theta];
    for (let s = 0; s < 2; s++) {
      let gw = 0;
      let gb = 0;
      for (let i = 0; i < 3; i++) {
        const e = (phi[0] as number) * (xs[i] as number) + (phi[1] as number) - (ts[i] as number);
        gw += (2 / 3) * e * (xs[i] as number);
        gb += (2 / 3) * e;
      }
      phi = [(phi[0] as number) - alpha * gw, (phi[1] as number) - alpha * gb];
    }
    const g = new Float32Array(2);
    const post = new Float32Array(1);
    k.metaGradBatch(
      sizes,
      Float32Array.from(theta),
      new Float32Array([alpha]),
      Float32Array.from(xs),
      Float32Array.from(ts),
      new Float32Array([0]),
      new Float32Array([0]),
      g,
      null,
      null,
      post,
      {
        hidden: 0,
        output: 0,
        loss: 'mse',
        steps: 2,
        lambda: 0,
        mode: 'reptile',
        cgSteps: 0,
        tasks: 1,
        supportRows: 3,
        queryRows: 1,
      },
    );
    expect(g[0]).toBeCloseTo((theta[0] as number) - (phi[0] as number), 6);
    expect(g[1]).toBeCloseTo((theta[1] as number) - (phi[1] as number), 6);
    expect(post[0]).toBeCloseTo(((phi[0] as number) * 0 + (phi[1] as number)) ** 2, 5);
  });

  it('iMAML matches the exact implicit gradient on a quadratic', () => {
    // Linear model in 3 inputs (P = 4) with MSE: L_s is quadratic with Hessian H = 2/n Aᵀ A.
    const d = 3;
    const n = 6;
    const sizes = Int32Array.from([d, 1]);
    const sx = normal(key(41), n * d);
    const sy = normal(key(42), n);
    const qx = normal(key(43), n * d);
    const qy = normal(key(44), n);
    const theta = normal(key(45), d + 1);
    const lambda = 2;
    const P = d + 1;
    const rowA = (X: Float32Array, i: number) => [...Array.from(X.subarray(i * d, (i + 1) * d)), 1];
    // H and b of L_s(phi) = 1/n |A phi − y|²: gradient H phi − c with c = 2/n Aᵀ y.
    const H = Array.from({ length: P }, () => new Float64Array(P));
    const c = new Float64Array(P);
    for (let i = 0; i < n; i++) {
      const a = rowA(sx, i);
      for (let r = 0; r < P; r++) {
        c[r] = (c[r] as number) + (2 / n) * (a[r] as number) * (sy[i] as number);
        for (let s = 0; s < P; s++)
          (H[r] as Float64Array)[s] =
            ((H[r] as Float64Array)[s] as number) + (2 / n) * (a[r] as number) * (a[s] as number);
      }
    }
    // phi* = argmin L_s + λ/2 |phi − θ|²  ⇒  (H + λI) phi* = c + λθ.
    const HL = H.map((row, r) => row.map((v, s) => v + (r === s ? lambda : 0)));
    const phiStar = solveDense(
      HL,
      Float64Array.from(c, (v, r) => v + lambda * (theta[r] as number)),
    );
    // ∇L_q(phi*) and the implicit gradient (I + H/λ)^-1 ∇L_q = λ (H + λI)^-1 ∇L_q.
    const gq = new Float64Array(P);
    for (let i = 0; i < n; i++) {
      const a = rowA(qx, i);
      const e = dot(a, phiStar) - (qy[i] as number);
      for (let r = 0; r < P; r++) gq[r] = (gq[r] as number) + (2 / n) * e * (a[r] as number);
    }
    const exact = solveDense(HL, gq).map((v) => lambda * v);
    const g = new Float32Array(P);
    // Enough proximal steps to converge, and P CG steps (exact in exact arithmetic).
    k.metaGradBatch(sizes, theta, new Float32Array([0.05]), sx, sy, qx, qy, g, null, null, null, {
      hidden: 0,
      output: 0,
      loss: 'mse',
      steps: 400,
      lambda,
      mode: 'implicit',
      cgSteps: P,
      tasks: 1,
      supportRows: n,
      queryRows: n,
    });
    expect(maxRelDiff(g, exact)).toBeLessThan(2e-3);
    // and it is not just the query gradient
    expect(maxRelDiff(gq, exact)).toBeGreaterThan(1e-2);
  });

  it("iMAML's proximal inner solve descends where a fixed rate diverges", () => {
    // Query = support, so the recorded query loss is the support loss L. A rate far above
    // 2/curvature blows plain steps up; the proximal solve steps at min(lr, 1/(L_top + λ)),
    // which descends F = L + λ/2|φ − θ|², so L(φ_j) ≤ F(φ_j) ≤ F(θ) = L(θ) at every step.
    const base = sineProblem(7, [1, 8, 8, 1], 4);
    const p = { ...base, qx: base.sx, qy: base.sy, params: base.params.map((v) => 3 * v) };
    const steps = 20;
    const run = (lambda: number) => {
      const losses = new Float32Array(p.tasks * (steps + 1));
      k.metaAdaptEvaluate(
        p.sizes,
        p.params,
        new Float32Array([5]),
        p.sx,
        p.sy,
        p.qx,
        p.qy,
        losses,
        null,
        scalars(p, steps, lambda),
      );
      return losses;
    };
    const plain = run(0);
    const prox = run(1);
    let plainBlewUp = false;
    for (let t = 0; t < p.tasks; t++) {
      const l0 = prox[t * (steps + 1)] as number;
      for (let j = 1; j <= steps; j++) {
        const l = prox[t * (steps + 1) + j] as number;
        expect(Number.isFinite(l)).toBe(true);
        expect(l).toBeLessThanOrEqual(l0 * (1 + 1e-5));
        const q = plain[t * (steps + 1) + j] as number;
        if (!(q <= l0)) plainBlewUp = true;
      }
      expect(prox[t * (steps + 1) + steps]).toBeLessThan(0.99 * l0);
    }
    expect(plainBlewUp).toBe(true);
  });

  it('rejects bad configurations with errors naming the argument', () => {
    const p = sineProblem(1);
    const lr = new Float32Array([0.1]);
    expect(() => metaGrad(k, p, lr, 0, 'secondOrder')).toThrow(/steps/);
    expect(() => metaGrad(k, p, new Float32Array(3), 1, 'secondOrder')).toThrow(/lr: expected length 1 or/);
    expect(() => metaGrad(k, p, lr, 1, 'secondOrder', null, 1)).toThrow(/lambda/);
    expect(() => metaGrad(k, p, lr, 1, 'implicit', null, 0)).toThrow(/lambda/);
    expect(() => metaGrad(k, p, lr, 1, 'maml' as MetaMode)).toThrow(/scalars\.mode: expected one of/);
    expect(() => metaGrad(k, { ...p, loss: 'l1' as MetaLossKind }, lr, 1, 'secondOrder')).toThrow(/scalars\.loss/);
    expect(() => metaGrad(k, { ...p, sx: p.sx.subarray(1) }, lr, 1, 'secondOrder')).toThrow(/supportX/);
  });
});

describe.skipIf(!nativeBackend)(paritySuite('meta kernels'), () => {
  it('native batched kernels agree with the js twin', () => {
    const nk = metaKernels(nativeBackend as Backend);
    const jk = metaKernels(jsBackend);
    const p = sineProblem(3, [1, 8, 8, 1], 5);
    for (const mode of ['secondOrder', 'firstOrder', 'reptile'] as const) {
      const a = metaGrad(nk, p, new Float32Array([0.05]), 2, mode);
      const c = metaGrad(jk, p, new Float32Array([0.05]), 2, mode);
      expect(maxRelDiff(a, c)).toBeLessThan(1e-4);
    }
    // iMAML: the curvature-aware proximal solve and truncated CG, and its adapt/evaluate.
    const ia = metaGrad(nk, p, new Float32Array([0.05]), 5, 'implicit', null, 1, 3);
    const ic = metaGrad(jk, p, new Float32Array([0.05]), 5, 'implicit', null, 1, 3);
    expect(maxRelDiff(ia, ic)).toBeLessThan(1e-4);
    const lr = new Float32Array([0.5]);
    expect(Math.abs(objective(nk, p, p.params, lr, 5, 1) / objective(jk, p, p.params, lr, 5, 1) - 1)).toBeLessThan(
      1e-5,
    );
  });
});
