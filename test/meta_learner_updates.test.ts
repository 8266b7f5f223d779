// One meta-step of each learner against a float64 reference of its paper's update, written here
// from the papers and not from the kernels: a tiny tanh MLP with hand-written backprop, Hessian-
// vector products as central differences of that gradient (float64, error ~1e-10), and a dense
// solve for iMAML. Each learner trains one iteration on a fixed meta-batch with an optimizer that
// records the meta-gradient it is given (or plain SGD, for Reptile's update). Each check also
// shows that the nearest wrong rule (first order for second, no implicit correction, …) is far
// outside its tolerance.
import { describe, expect, it } from 'vitest';
import { use } from '../src/backend/index.js';
import { anil, fomaml, imaml, maml, metaSgd, pretrain, reptile } from '../src/meta/factories.js';
import type { TaskBatch, TaskDistribution } from '../src/meta/tasks/types.js';
import type { MetaLearner } from '../src/meta/types.js';
import { sgd } from '../src/optim/index.js';
import type { Optimizer, OptState } from '../src/optim/types.js';
import { key, normal, uniform } from '../src/random/index.js';
import { backends } from './helpers/backends.js';
import { solveDense } from './helpers/linalg.js';

type Vec = Float64Array;
type Loss = 'mse' | 'crossEntropy';

// ---- float64 reference MLP: layer l has W [in × out] row-major, then b [out]; tanh hidden, identity output.

function paramCount(sizes: number[]): number {
  let p = 0;
  for (let l = 0; l + 1 < sizes.length; l++)
    p += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
  return p;
}

interface Data {
  x: Float32Array;
  /** mse: targets [rows × out]; crossEntropy: labels [rows]. */
  y: Float32Array | Int32Array;
  rows: number;
}

/** Loss and its gradient (float64) of the MLP on rows of data: mse = mean of (y − t)², crossEntropy = mean −log softmax. */
function lossGrad(sizes: number[], theta: Vec, d: Data, loss: Loss): { value: number; grad: Vec } {
  const L = sizes.length - 1;
  const grad = new Float64Array(theta.length);
  const offsets: number[] = [];
  let o = 0;
  for (let l = 0; l < L; l++) {
    offsets.push(o);
    o += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
  }
  const out = sizes[L] as number;
  let value = 0;
  for (let r = 0; r < d.rows; r++) {
    const acts: Vec[] = [Float64Array.from(d.x.subarray(r * (sizes[0] as number), (r + 1) * (sizes[0] as number)))];
    for (let l = 0; l < L; l++) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const a = acts[l] as Vec;
      const z = new Float64Array(nout);
      const off = offsets[l] as number;
      for (let j = 0; j < nout; j++) {
        let s = theta[off + nin * nout + j] as number;
        for (let i = 0; i < nin; i++) s += (a[i] as number) * (theta[off + i * nout + j] as number);
        z[j] = l + 1 < L ? Math.tanh(s) : s;
      }
      acts.push(z);
    }
    const y = acts[L] as Vec;
    let delta = new Float64Array(out);
    if (loss === 'mse') {
      for (let j = 0; j < out; j++) {
        const e = (y[j] as number) - (d.y[r * out + j] as number);
        value += (e * e) / (d.rows * out);
        delta[j] = (2 * e) / (d.rows * out);
      }
    } else {
      const label = d.y[r] as number;
      const m = Math.max(...y);
      let s = 0;
      for (let j = 0; j < out; j++) s += Math.exp((y[j] as number) - m);
      const lse = m + Math.log(s);
      value += (lse - (y[label] as number)) / d.rows;
      for (let j = 0; j < out; j++) delta[j] = (Math.exp((y[j] as number) - lse) - (j === label ? 1 : 0)) / d.rows;
    }
    for (let l = L - 1; l >= 0; l--) {
      const nin = sizes[l] as number;
      const nout = sizes[l + 1] as number;
      const a = acts[l] as Vec;
      const off = offsets[l] as number;
      for (let j = 0; j < nout; j++) {
        grad[off + nin * nout + j] = (grad[off + nin * nout + j] as number) + (delta[j] as number);
        for (let i = 0; i < nin; i++)
          grad[off + i * nout + j] = (grad[off + i * nout + j] as number) + (a[i] as number) * (delta[j] as number);
      }
      if (l > 0) {
        const prev = new Float64Array(nin);
        for (let i = 0; i < nin; i++) {
          let s = 0;
          for (let j = 0; j < nout; j++) s += (theta[off + i * nout + j] as number) * (delta[j] as number);
          prev[i] = s * (1 - (a[i] as number) ** 2); // tanh' from the activation
        }
        delta = prev;
      }
    }
  }
  return { value, grad };
}

/** H v by a central difference of the float64 gradient. */
function hvp(sizes: number[], theta: Vec, d: Data, loss: Loss, v: Vec): Vec {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) return new Float64Array(v.length);
  const h = 1e-5 / norm;
  const gp = lossGrad(
    sizes,
    theta.map((t, i) => t + h * (v[i] as number)),
    d,
    loss,
  ).grad;
  const gm = lossGrad(
    sizes,
    theta.map((t, i) => t - h * (v[i] as number)),
    d,
    loss,
  ).grad;
  return gp.map((g, i) => (g - (gm[i] as number)) / (2 * h));
}

/** x − from, element by element (displacements compare at their own scale). */
const moved = (x: ArrayLike<number>, from: Vec): Vec =>
  Float64Array.from(x, (v, i) => (v as number) - (from[i] as number));
const unit = (n: number, c: number): Vec => Float64Array.from({ length: n }, (_, r) => (r === c ? 1 : 0));
const axpy = (a: number, x: Vec, y: Vec): Vec => y.map((v, i) => v + a * (x[i] as number));
const mul = (x: Vec, y: ArrayLike<number>): Vec => x.map((v, i) => v * (y[i] as number));

/** k SGD steps φ ← φ − lr∘∇L(φ) (lr: one rate or one per parameter). */
function sgdSteps(sizes: number[], theta: Vec, d: Data, loss: Loss, lr: ArrayLike<number>, k: number): Vec[] {
  const path = [Float64Array.from(theta)];
  for (let s = 0; s < k; s++) {
    const phi = path[s] as Vec;
    const g = lossGrad(sizes, phi, d, loss).grad;
    path.push(phi.map((p, i) => p - (lr.length === 1 ? (lr[0] as number) : (lr[i] as number)) * (g[i] as number)));
  }
  return path;
}

/** max |a − b| / max |b|: error relative to the reference's scale. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs((a[i] as number) - (b[i] as number)));
    den = Math.max(den, Math.abs(b[i] as number));
  }
  return num / den;
}

// ---- a fixed meta-batch and learners that record what they are given

interface Batch {
  sizes: number[];
  loss: Loss;
  T: number;
  S: number;
  Q: number;
  support: Data[];
  query: Data[];
  distribution: TaskDistribution;
}

function regressionBatch(seed: number, sizes = [1, 4, 1], T = 3, S = 5, Q = 4): Batch {
  const sx = normal(key(seed), T * S);
  const qx = normal(key(seed + 1), T * Q);
  const amp = uniform(key(seed + 2), T);
  const target = (x: Float32Array, t: number) => x.map((v) => (0.5 + (amp[t] as number)) * Math.sin(1.3 * v + t));
  const supportY = new Float32Array(T * S);
  const queryY = new Float32Array(T * Q);
  for (let t = 0; t < T; t++) {
    supportY.set(target(sx.subarray(t * S, (t + 1) * S), t), t * S);
    queryY.set(target(qx.subarray(t * Q, (t + 1) * Q), t), t * Q);
  }
  const batch: TaskBatch = {
    count: T,
    inputDim: 1,
    outputDim: 1,
    kind: 'regression',
    supportRows: S,
    queryRows: Q,
    supportX: sx,
    supportY,
    queryX: qx,
    queryY,
    taskParams: new Float64Array(0),
    paramsPerTask: 0,
  };
  const distribution: TaskDistribution = {
    name: 'fixed',
    kind: 'regression',
    inputDim: 1,
    outputDim: 1,
    sample: () => batch,
  };
  const part = (x: Float32Array, y: Float32Array, rows: number) =>
    Array.from({ length: T }, (_, t) => ({
      x: x.subarray(t * rows, (t + 1) * rows),
      y: y.subarray(t * rows, (t + 1) * rows),
      rows,
    }));
  return { sizes, loss: 'mse', T, S, Q, support: part(sx, supportY, S), query: part(qx, queryY, Q), distribution };
}

/** An optimizer that leaves the parameters alone and keeps the gradient it was given. */
function recorder(): Optimizer & { last: Float32Array } {
  const r = {
    kind: 'optimizer' as const,
    name: 'recorder',
    last: new Float32Array(0),
    init: () => ({}) as unknown as OptState,
    step(_p: Float32Array, g: Float32Array) {
      r.last = Float32Array.from(g);
      return true;
    },
  };
  return r;
}

async function oneStep(learner: MetaLearner, b: Batch, theta: Float32Array): Promise<Float32Array> {
  return learner.train({
    tasks: b.distribution,
    iterations: 1,
    metaBatch: b.T,
    shots: b.S,
    queries: b.Q,
    init: theta,
  });
}

const mean = (vs: Vec[]): Vec => {
  const m = new Float64Array((vs[0] as Vec).length);
  for (const v of vs) for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) + (v[i] as number) / vs.length;
  return m;
};

// ---- the references, one per paper

/** MAML (Finn et al. 2017, eq. 1 and its gradient): ∇θ L_q(φ_k) = Π_j (I − α H_s(φ_j)) ∇L_q(φ_k). */
function mamlRef(b: Batch, theta: Vec, alpha: number, k: number, secondOrder: boolean): Vec {
  return mean(
    b.support.map((s, t) => {
      const path = sgdSteps(b.sizes, theta, s, b.loss, [alpha], k);
      let g = lossGrad(b.sizes, path[k] as Vec, b.query[t] as Data, b.loss).grad;
      if (secondOrder) for (let j = k - 1; j >= 0; j--) g = axpy(-alpha, hvp(b.sizes, path[j] as Vec, s, b.loss, g), g);
      return g;
    }),
  );
}

describe.each(backends)('meta-learner updates against float64 references (%s)', (name) => {
  const b = regressionBatch(11);
  const P = paramCount(b.sizes);
  const theta32 = normal(key(12), P).map((v) => 0.6 * v);
  const theta = Float64Array.from(theta32);

  it('FOMAML: the meta-gradient is ∇L_q at the adapted parameters, with no second-order term', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    const alpha = 0.3;
    await oneStep(
      fomaml({ model: { sizes: b.sizes, activation: 'tanh' }, innerLr: alpha, innerSteps: 2, optimizer: opt }),
      b,
      theta32,
    );
    const first = mamlRef(b, theta, alpha, 2, false);
    const second = mamlRef(b, theta, alpha, 2, true);
    expect(relErr(opt.last, first)).toBeLessThan(1e-5);
    // A zero gradient, the second-order gradient or the query gradient at θ are all far off.
    expect(relErr(new Float32Array(P), first)).toBe(1);
    expect(relErr(second, first)).toBeGreaterThan(0.05);
    const atTheta = mean(b.query.map((q) => lossGrad(b.sizes, theta, q, b.loss).grad));
    expect(relErr(atTheta, first)).toBeGreaterThan(0.05);
  });

  it('MAML: the meta-gradient carries the second-order terms Π (I − αH)', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    await oneStep(
      maml({ model: { sizes: b.sizes, activation: 'tanh' }, innerLr: 0.3, innerSteps: 2, optimizer: opt }),
      b,
      theta32,
    );
    expect(relErr(opt.last, mamlRef(b, theta, 0.3, 2, true))).toBeLessThan(1e-5);
  });

  it('Reptile: θ ← θ + ε·mean(φ − θ) after k SGD steps on the support set', async () => {
    use(name as 'native' | 'js');
    const eps = 0.5;
    const alpha = 0.2;
    const k = 3;
    const learner = reptile({
      model: { sizes: b.sizes, activation: 'tanh' },
      innerLr: alpha,
      innerSteps: k,
      optimizer: sgd({ lr: eps }),
    });
    const next = await oneStep(learner, b, theta32);
    const phiMean = mean(b.support.map((s) => sgdSteps(b.sizes, theta, s, b.loss, [alpha], k)[k] as Vec));
    const want = theta.map((t, i) => t + eps * ((phiMean[i] as number) - t));
    const step = moved(want, theta);
    expect(relErr(moved(next, theta), step)).toBeLessThan(1e-5);
    // The wrong sign (θ − ε(φ − θ)) or one inner step instead of k are far off.
    expect(
      relErr(
        step.map((v) => -v),
        step,
      ),
    ).toBe(2);
    const phi1 = mean(b.support.map((s) => sgdSteps(b.sizes, theta, s, b.loss, [alpha], 1)[1] as Vec));
    expect(
      relErr(
        moved(phi1, theta).map((v) => eps * v),
        step,
      ),
    ).toBeGreaterThan(0.1);
  });

  it('Meta-SGD: gradients for θ and for the per-parameter rates α of φ = θ − α∘∇L_s(θ)', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    const lrOpt = recorder();
    const learner = metaSgd({ model: { sizes: b.sizes, activation: 'tanh' }, optimizer: opt, lrOptimizer: lrOpt });
    // Distinct rates per parameter, so a rule that used one shared rate would show.
    const alpha = Float32Array.from({ length: P }, (_, i) => 0.1 + 0.03 * (i % 5));
    (learner as unknown as { setInnerLrs(l: Float32Array): void }).setInnerLrs(alpha);
    await oneStep(learner, b, theta32);
    const gTheta: Vec[] = [];
    const gAlpha: Vec[] = [];
    b.support.forEach((s, t) => {
      const gs = lossGrad(b.sizes, theta, s, b.loss).grad;
      const phi = theta.map((v, i) => v - (alpha[i] as number) * (gs[i] as number));
      const gq = lossGrad(b.sizes, phi, b.query[t] as Data, b.loss).grad;
      // dφ/dθ = I − diag(α) H  ⇒  ∇θ = gq − H (α∘gq);  ∂L_q/∂α = −gs∘gq.
      gTheta.push(axpy(-1, hvp(b.sizes, theta, s, b.loss, mul(gq, alpha)), gq));
      gAlpha.push(mul(gs, gq).map((v) => -v));
    });
    const wantTheta = mean(gTheta);
    const wantAlpha = mean(gAlpha);
    expect(relErr(opt.last, wantTheta)).toBeLessThan(1e-5);
    expect(relErr(lrOpt.last, wantAlpha)).toBeLessThan(1e-5);
    // The rates learned are per parameter: a rule that used their mean differs.
    const meanAlpha = alpha.reduce((s, v) => s + v, 0) / P;
    expect(relErr(mamlRef(b, theta, meanAlpha, 1, true), wantTheta)).toBeGreaterThan(1e-2);
  });

  it('ANIL: only the head adapts; the meta-gradient reaches the body through the head', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    const alpha = 0.4;
    const learner = anil({ model: { sizes: b.sizes, activation: 'tanh' }, innerLr: alpha, optimizer: opt });
    await oneStep(learner, b, theta32);
    const head = P - ((b.sizes[1] as number) * 1 + 1); // dense1.w [4 × 1] and dense1.b [1]
    const mask = Float64Array.from({ length: P }, (_, i) => (i >= head ? 1 : 0));
    const grads = b.support.map((s, t) => {
      const gs = lossGrad(b.sizes, theta, s, b.loss).grad;
      const phi = theta.map((v, i) => v - alpha * (mask[i] as number) * (gs[i] as number));
      const gq = lossGrad(b.sizes, phi, b.query[t] as Data, b.loss).grad;
      // dφ/dθ = I − α M H  ⇒  ∇θ = gq − α H (M gq)
      return axpy(-alpha, hvp(b.sizes, theta, s, b.loss, mul(gq, mask)), gq);
    });
    const want = mean(grads);
    expect(relErr(opt.last, want)).toBeLessThan(1e-5);
    expect(want.subarray(0, head).some((v) => Math.abs(v) > 1e-3)).toBe(true); // the body gets a gradient
    // MAML (every parameter adapts) is far off.
    expect(relErr(mamlRef(b, theta, alpha, 1, true), want)).toBeGreaterThan(0.05);
  });

  it('iMAML: the meta-gradient is (I + H/λ)⁻¹ ∇L_q(φ*) at the proximal solution φ* (dense solve)', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    const lambda = 1;
    const learner = imaml({
      model: { sizes: b.sizes, activation: 'tanh' },
      innerLr: 0.1,
      innerSteps: 600,
      lambda,
      cgSteps: 2 * P,
      optimizer: opt,
    });
    await oneStep(learner, b, theta32);
    const plain: Vec[] = [];
    const grads = b.support.map((s, t) => {
      // φ* = argmin L_s(φ) + λ/2 |φ − θ|²: gradient steps, then Newton steps on the dense Hessian.
      let phi = Float64Array.from(theta);
      for (let i = 0; i < 3000; i++) {
        const g = lossGrad(b.sizes, phi, s, b.loss).grad;
        phi = phi.map((p, j) => p - 0.05 * ((g[j] as number) + lambda * (p - (theta[j] as number))));
      }
      const dense = (at: Vec) => Array.from({ length: P }, (_, c) => hvp(b.sizes, at, s, b.loss, unit(P, c)));
      for (let i = 0; i < 3; i++) {
        const g = lossGrad(b.sizes, phi, s, b.loss).grad.map(
          (v, j) => v + lambda * ((phi[j] as number) - (theta[j] as number)),
        );
        const H = dense(phi).map((col, c) => col.map((v, r) => v + (r === c ? lambda : 0)));
        const step = solveDense(H, g);
        phi = phi.map((p, j) => p - (step[j] as number));
      }
      const gq = lossGrad(b.sizes, phi, b.query[t] as Data, b.loss).grad;
      plain.push(gq);
      // (I + H/λ) u = gq
      const A = dense(phi).map((col, c) => col.map((v, r) => (r === c ? 1 : 0) + v / lambda));
      return solveDense(A, gq);
    });
    const want = mean(grads);
    expect(relErr(opt.last, want)).toBeLessThan(2e-5);
    // Without the implicit correction (FOMAML at φ*) it is far off.
    expect(relErr(mean(plain), want)).toBeGreaterThan(0.05);
  });

  it('pretrain: the plain gradient of the joint query loss at θ (no adaptation)', async () => {
    use(name as 'native' | 'js');
    const opt = recorder();
    await oneStep(
      pretrain({ model: { sizes: b.sizes, activation: 'tanh' }, innerLr: 0.3, optimizer: opt }),
      b,
      theta32,
    );
    const want = mean(b.query.map((q) => lossGrad(b.sizes, theta, q, b.loss).grad));
    expect(relErr(opt.last, want)).toBeLessThan(1e-5);
    expect(relErr(mamlRef(b, theta, 0.3, 1, false), want)).toBeGreaterThan(0.05); // an adapted step would show
  });

  it('adapt() equals hand-written SGD steps (one rate, per-parameter rates, ANIL head, cross-entropy)', async () => {
    use(name as 'native' | 'js');
    const model = { sizes: b.sizes, activation: 'tanh' as const };
    const s = b.support[0] as Data;
    const support = { x: s.x, y: s.y };
    const l = maml({ model });
    const want = sgdSteps(b.sizes, theta, s, 'mse', [0.15], 5)[5] as Vec;
    const got = l.adapt(theta32, support, { steps: 5, lr: 0.15 });
    expect(relErr(moved(got, theta), moved(want, theta))).toBeLessThan(1e-5);
    // one step fewer is far off
    const four = sgdSteps(b.sizes, theta, s, 'mse', [0.15], 4)[4] as Vec;
    expect(relErr(moved(four, theta), moved(want, theta))).toBeGreaterThan(0.05);

    const rates = Float32Array.from({ length: P }, (_, i) => 0.05 + 0.02 * (i % 4));
    const perParam = sgdSteps(b.sizes, theta, s, 'mse', rates, 3)[3] as Vec;
    const gotPer = l.adapt(theta32, support, { steps: 3, lr: rates });
    expect(relErr(moved(gotPer, theta), moved(perParam, theta))).toBeLessThan(1e-5);

    const an = anil({ model, innerLr: 0.2 });
    const head = P - 5;
    const lrs = Float64Array.from({ length: P }, (_, i) => (i >= head ? 0.2 : 0));
    const wantHead = sgdSteps(b.sizes, theta, s, 'mse', lrs, 4)[4] as Vec;
    const gotHead = an.adapt(theta32, support, { steps: 4 });
    for (let i = 0; i < head; i++) expect(gotHead[i]).toBe(theta32[i]);
    expect(relErr(moved(gotHead, theta), moved(wantHead, theta))).toBeLessThan(1e-5);

    // Cross-entropy: 3 classes from 2 inputs.
    const sizes = [2, 3, 3];
    const x = normal(key(31), 12);
    const labels = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const p0 = normal(key(32), paramCount(sizes)).map((v) => 0.7 * v);
    const ce = maml({ model: { sizes, activation: 'tanh' }, loss: 'crossEntropy' });
    const gotCe = ce.adapt(p0, { x, y: labels }, { steps: 4, lr: 0.5 });
    const p064 = Float64Array.from(p0);
    const wantCe = sgdSteps(sizes, p064, { x, y: labels, rows: 6 }, 'crossEntropy', [0.5], 4)[4] as Vec;
    expect(relErr(moved(gotCe, p064), moved(wantCe, p064))).toBeLessThan(1e-5);
  });
});
