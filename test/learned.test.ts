// learned.mlpOptimizer and learned.tasks.quadratic against references written from
// ../shared/reference/meta-rl-and-learned-optimizers.md §11.1–11.2 (learned_optimization's
// adafac_mlp_lopt.py, rank < 2 path) and ../shared/design/API.md (the quadratic family).
import { describe, expect, it } from 'vitest';
import { learned, optim, random } from '../src/index.js';
import { accumulate, features, initAccumulators, NUM_INPUTS } from '../src/learned/features.js';

const TAUS = [1, 3, 10, 30, 100, 300, 1000, 3000, 1e4, 3e4, 1e5];

/** The 39 inputs of small_fc_lopt (rank < 2 tensor), float64, after the gradient sequence gs. */
function refFeatures(p: number[], gs: number[][]): number[][] {
  const n = p.length;
  const md = [0.9, 0.99, 0.999];
  const m = md.map(() => new Array<number>(n).fill(0));
  const vf = md.map(() => new Array<number>(n).fill(0));
  const v = new Array<number>(n).fill(0);
  for (const g of gs)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) {
        m[j]![i] = md[j]! * m[j]![i]! + (1 - md[j]!) * g[i]!;
        vf[j]![i] = md[j]! * vf[j]![i]! + (1 - md[j]!) * (g[i]! ** 2 + 1e-30);
      }
      v[i] = 0.999 * v[i]! + 0.001 * g[i]! ** 2;
    }
  const g = gs[gs.length - 1]!;
  const rows = p.map((pi, i) => {
    const r = [g[i]!, pi, ...m.map((a) => a[i]!), v[i]!];
    for (let j = 0; j < 3; j++) r.push(m[j]![i]! / Math.sqrt(v[i]! + 1e-6));
    r.push(1 / Math.sqrt(v[i]! + 1e-6));
    for (let j = 0; j < 3; j++) r.push(g[i]! / Math.sqrt(Math.max(vf[j]![i]! + 1e-9, 1e-9)));
    for (let s = 0; s < 2; s++) for (let j = 0; j < 3; j++) r.push(vf[j]![i]!);
    for (let s = 0; s < 2; s++) for (let j = 0; j < 3; j++) r.push(1 / Math.sqrt(vf[j]![i]! + 1e-8));
    for (let j = 0; j < 3; j++) r.push(m[j]![i]! / Math.sqrt(vf[j]![i]! + 1e-6));
    return r;
  });
  for (let f = 0; f < 28; f++) {
    const ms = rows.reduce((s, r) => s + r[f]! ** 2, 0) / n;
    for (const r of rows) r[f] = r[f]! / Math.sqrt(1e-5 + ms);
  }
  const t = gs.length - 1;
  return rows.map((r) => [...r, ...TAUS.map((tau) => Math.tanh(t / tau - 1))]);
}

/** Float64 MLP of θ's layout (W [in × out] then b per layer, ReLU hidden). */
function refMlp(theta: Float32Array, sizes: number[], x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [nin, nout] = [sizes[l]!, sizes[l + 1]!];
    const out = new Array<number>(nout).fill(0).map((_, o) => theta[off + nin * nout + o]!);
    for (let i = 0; i < nin; i++) for (let o = 0; o < nout; o++) out[o] = out[o]! + a[i]! * theta[off + i * nout + o]!;
    a = l + 2 < sizes.length ? out.map((z) => Math.max(0, z)) : out;
    off += nin * nout + nout;
  }
  return a;
}

describe('learned.mlpOptimizer', () => {
  const p = [0.5, -1.25, 2, 0.03];
  const gs = [
    [0.1, -0.4, 1.5, 0.02],
    [-0.3, 0.2, 0.9, -0.05],
  ];

  it('features equal the small_fc_lopt reference (39 inputs, per-buffer normalization)', () => {
    const state = initAccumulators(4);
    for (let s = 0; s < gs.length; s++) {
      if (s > 0) state.count++;
      accumulate(state, Float32Array.from(gs[s]!));
    }
    const out = new Float32Array(4 * NUM_INPUTS);
    features(Float32Array.from(p), Float32Array.from(gs[1]!), state, out);
    const ref = refFeatures(p, gs);
    expect(NUM_INPUTS).toBe(39);
    for (let i = 0; i < 4; i++) for (let f = 0; f < 39; f++) expect(out[i * 39 + f]).toBeCloseTo(ref[i]![f]!, 5);
    // each normalized feature has mean square ≈ 1 over the buffer (reference "what to test")
    for (let f = 0; f < 28; f++) {
      let ms = 0;
      for (let i = 0; i < 4; i++) ms += out[i * 39 + f]! ** 2 / 4;
      // = raw/(1e-5 + raw): ≤ 1, and ≈ 1 for O(1) features such as g and p
      expect(ms).toBeLessThanOrEqual(1 + 1e-6);
      if (f < 2) expect(ms).toBeCloseTo(1, 4);
    }
    // a wrong variant (un-normalized features) differs
    expect(Math.abs(out[0]! - gs[1]![0]!)).toBeGreaterThan(1e-2);
  });

  it('step = p − d·exp(expMult·m)·stepMult with (d, m) the MLP outputs (float64 reference)', () => {
    const lo = learned.mlpOptimizer({ hidden: [8, 4] });
    expect(lo.size).toBe(39 * 8 + 8 + 8 * 4 + 4 + 4 * 2 + 2);
    const theta = lo.init(3);
    // make the output non-trivial
    for (let i = lo.size - 2; i < lo.size; i++) theta[i] = 0.7;
    const opt = lo.optimizer(theta);
    const params = Float32Array.from(p);
    const state = opt.init(params);
    for (let s = 0; s < 2; s++) {
      const before = Float64Array.from(params);
      const feats = refFeatures(Array.from(before), gs.slice(0, s + 1));
      expect(opt.step(params, Float32Array.from(gs[s]!), state)).toBe(true);
      for (let i = 0; i < 4; i++) {
        const [d, m] = refMlp(theta, [39, 8, 4, 2], feats[i]!);
        const expected = before[i]! - d! * Math.exp(0.001 * m!) * 0.001;
        expect(params[i]).toBeCloseTo(expected, 6);
        // wrong variant: exp(m) instead of exp(0.001·m) moves far from the result
        expect(Math.abs(before[i]! - d! * Math.exp(m!) * 0.001 - params[i]!)).toBeGreaterThan(1e-7);
      }
    }
    expect(state.count).toBe(2);
  });

  it('zero network → no step; direction 1, magnitude 0 → step exactly stepMult', () => {
    const lo = learned.mlpOptimizer({ hidden: [4] });
    const theta = new Float32Array(lo.size);
    const params = Float32Array.from(p);
    const opt0 = lo.optimizer(theta);
    opt0.step(params, Float32Array.from(gs[0]!), opt0.init(params));
    expect(Array.from(params)).toEqual(Array.from(Float32Array.from(p)));
    theta[lo.size - 2] = 1; // output bias of d
    const opt1 = lo.optimizer(theta);
    opt1.step(params, Float32Array.from(gs[0]!), opt1.init(params));
    for (let i = 0; i < 4; i++) expect(params[i]).toBeCloseTo(p[i]! - 0.001, 7);
  });

  it('is an optim Optimizer: composes with chain and skipNonFinite; θ is copied', () => {
    const lo = learned.mlpOptimizer({ hidden: [8] });
    const theta = lo.init(1);
    const base = lo.optimizer(theta);
    theta.fill(0); // later changes to θ have no effect
    const chained = optim.skipNonFinite(optim.chain(optim.clipByGlobalNorm(0.5), lo.optimizer(lo.init(1))));
    const a = Float32Array.from(p);
    const b = Float32Array.from(p);
    const sa = base.init(a);
    const sb = chained.init(b);
    const g = Float32Array.from(gs[0]!);
    const gn = Math.hypot(...gs[0]!);
    const clipped = g.map((x) => (x * 0.5) / gn);
    base.step(a, clipped, sa);
    chained.step(b, g, sb, { loss: 1 });
    for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
    const before = b.slice();
    expect(chained.step(b, Float32Array.from([Number.NaN, 0, 0, 0]), sb)).toBe(false);
    expect(Array.from(b)).toEqual(Array.from(before));
  });

  it('init is deterministic per seed; bad input names the argument', () => {
    const lo = learned.mlpOptimizer();
    expect(lo.init(5)).toEqual(lo.init(5));
    expect(lo.init(5)).not.toEqual(lo.init(6));
    expect(() => learned.mlpOptimizer({ hidden: [0] })).toThrow(/hidden\[0\]/);
    expect(() => learned.mlpOptimizer({ hiden: [3] } as never)).toThrow(TypeError);
    expect(() => lo.optimizer(new Float32Array(3))).toThrow(/theta: expected length/);
    const opt = lo.optimizer(lo.init(0));
    const x = new Float32Array(3);
    expect(() => opt.step(x, new Float32Array(2), opt.init(x))).toThrow(/grads/);
  });
});

describe('learned.tasks.quadratic', () => {
  it('Q = Rᵀdiag(λ)R: symmetric, Q·r_k = λ_k·r_k spectrum in [minEig, maxEig], trace = Σλ', () => {
    const [t] = learned.tasks.quadratic({ dim: 6, minEig: 0.01, maxEig: 10 }).sample(random.key(0), 1);
    const { q, eigenvalues: lam } = t!;
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(q[i * 6 + j]).toBeCloseTo(q[j * 6 + i]!, 12);
    let tr = 0;
    for (let i = 0; i < 6; i++) tr += q[i * 7]!;
    expect(tr).toBeCloseTo(
      lam.reduce((s, x) => s + x, 0),
      10,
    );
    // trace(Q²) = Σλ² (rotation invariance), and det via power: Σλ³
    let tr2 = 0;
    for (let i = 0; i < 36; i++) tr2 += q[i]! ** 2;
    expect(tr2).toBeCloseTo(
      lam.reduce((s, x) => s + x * x, 0),
      8,
    );
    for (const l of lam) expect(l >= 0.01 && l <= 10).toBe(true);
    // log-uniform: over many tasks the mean of log λ is the midpoint
    const many = learned.tasks.quadratic({ dim: 50, minEig: 0.01, maxEig: 10 }).sample(random.key(1), 4);
    const logs = many.flatMap((x) => Array.from(x.eigenvalues, Math.log));
    const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
    const mid = (Math.log(0.01) + Math.log(10)) / 2;
    const sd = (Math.log(10) - Math.log(0.01)) / Math.sqrt(12);
    expect(Math.abs(mean - mid)).toBeLessThan((3 * sd) / Math.sqrt(logs.length));
  });

  it('value is exact, gradient matches central differences, noise has std `noise`', () => {
    const fam = learned.tasks.quadratic({ dim: 5, noise: 0 });
    const [t] = fam.sample(random.key(2), 1);
    const x = t!.init();
    const { value, grad } = t!.lossAndGrad(x);
    let ref = 0;
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) ref += 0.5 * (x[i]! - t!.center[i]!) * t!.q[i * 5 + j]! * (x[j]! - t!.center[j]!);
    expect(value).toBeCloseTo(ref, 10);
    const h = 1e-2;
    for (let i = 0; i < 5; i++) {
      const xp = x.slice();
      const xm = x.slice();
      xp[i] = xp[i]! + h;
      xm[i] = xm[i]! - h;
      const fd = (t!.lossAndGrad(xp).value - t!.lossAndGrad(xm).value) / (xp[i]! - xm[i]!);
      expect(grad[i]).toBeCloseTo(fd, 4);
    }
    const noisy = learned.tasks.quadratic({ dim: 5, noise: 0.5 }).sample(random.key(2), 1)[0]!;
    expect(noisy.lossAndGrad(x).value).toBeCloseTo(value, 10);
    const n = 2000;
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < n; k++) {
      const e = noisy.lossAndGrad(x).grad[0]! - grad[0]!;
      s1 += e;
      s2 += e * e;
    }
    expect(Math.abs(s1 / n)).toBeLessThan((3 * 0.5) / Math.sqrt(n));
    expect(Math.sqrt(s2 / n)).toBeGreaterThan(0.5 * 0.95);
    expect(Math.sqrt(s2 / n)).toBeLessThan(0.5 * 1.05);
    // fork with the same key replays the same noise
    const k = random.key(9);
    expect(noisy.fork(k).lossAndGrad(x).grad).toEqual(noisy.fork(k).lossAndGrad(x).grad);
  });

  it('deterministic per key; bad input names the argument', () => {
    const fam = learned.tasks.quadratic({ dim: 3 });
    expect(fam.sample(random.key(4), 2)[1]!.q).toEqual(fam.sample(random.key(4), 2)[1]!.q);
    expect(() => learned.tasks.quadratic({ dim: 0 })).toThrow(/dim/);
    expect(() => learned.tasks.quadratic({ dim: 3, minEig: 2, maxEig: 1 })).toThrow(/maxEig/);
    expect(() => learned.tasks.quadratic({ dim: 3, noise: -1 })).toThrow(/noise/);
    expect(() => fam.sample(random.key(0), 1)[0]!.lossAndGrad(new Float32Array(2))).toThrow(/params/);
  });
});
